#pragma once

#include <QDialog>

class QTableWidget;

namespace qc::ui {

/// Help → Keyboard shortcuts: every action and button of `window` (menus, pages) that has a
/// shortcut, collected when the dialog opens, so pages added later list theirs too.
class ShortcutsDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(ShortcutsDialog)
public:
    explicit ShortcutsDialog(QWidget* window, QWidget* parent = nullptr);
    ~ShortcutsDialog() override;

    struct Entry {
        QString where; // "File", "View", "Dashboard"
        QString what;
        QString keys; // native text, e.g. "Ctrl+Q"
    };
    /// What the dialog lists, in its order.
    static QList<Entry> collect(QWidget* window);

private:
    QTableWidget* m_table;
};

} // namespace qc::ui
