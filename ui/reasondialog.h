#pragma once

#include <QDialog>
#include <QString>

class QLabel;
class QPlainTextEdit;

namespace qc::ui {

/// Asks for the reason (or note) of an action: unblock, un-acknowledge. The reason goes to the
/// audit log, so a required one cannot be left empty.
class ReasonDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(ReasonDialog)
public:
    ReasonDialog(const QString& title, const QString& explanation, const QString& okText,
        bool required, QWidget* parent = nullptr);
    ~ReasonDialog() override;

    QString reason() const;
    void setReason(const QString& reason);
    void accept() override;

private:
    QPlainTextEdit* m_reason;
    QLabel* m_problem;
    bool m_required;
};

} // namespace qc::ui
