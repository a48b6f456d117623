#include "choicedelegate.h"

#include "workbench/policytablemodel.h"

#include <QComboBox>

namespace qc::ui {

ChoiceDelegate::ChoiceDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{
}

QWidget* ChoiceDelegate::createEditor(
    QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QStringList choices = index.data(workbench::PolicyTableModel::ChoicesRole).toStringList();
    if (choices.isEmpty())
        return QStyledItemDelegate::createEditor(parent, option, index);
    auto* combo = new QComboBox(parent);
    combo->addItems(choices);
    // Commit as soon as a value is picked: one click, like a form.
    connect(combo, &QComboBox::activated, this, [this, combo] {
        Q_EMIT const_cast<ChoiceDelegate*>(this)->commitData(combo);
        Q_EMIT const_cast<ChoiceDelegate*>(this)->closeEditor(combo);
    });
    return combo;
}

void ChoiceDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        const QString value = index.data(Qt::EditRole).toString();
        const int at = combo->findText(value);
        if (at >= 0) {
            combo->setCurrentIndex(at);
        } else {
            combo->setEditable(true); // a value the list does not have: keep it visible
            combo->setEditText(value);
        }
        return;
    }
    QStyledItemDelegate::setEditorData(editor, index);
}

void ChoiceDelegate::setModelData(
    QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    if (auto* combo = qobject_cast<QComboBox*>(editor)) {
        model->setData(index, combo->currentText(), Qt::EditRole);
        return;
    }
    QStyledItemDelegate::setModelData(editor, model, index);
}

} // namespace qc::ui
