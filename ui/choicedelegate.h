#pragma once

#include <QStyledItemDelegate>

namespace qc::ui {

/// Edits cells that offer a list of values (PolicyTableModel::ChoicesRole) with a combo box;
/// other cells with the default line edit.
class ChoiceDelegate final : public QStyledItemDelegate {
    Q_OBJECT
    Q_DISABLE_COPY(ChoiceDelegate)
public:
    explicit ChoiceDelegate(QObject* parent = nullptr);

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
        const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(
        QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;
};

} // namespace qc::ui
