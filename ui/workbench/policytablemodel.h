#pragma once

#include "jsonpath.h"
#include "policydocument.h"

#include <QAbstractTableModel>
#include <QJsonObject>
#include <QPointer>
#include <QStringList>

#include <functional>

namespace qc::workbench {

/// One column of a policy list (rules, plans, abuse patterns): a member of each item.
struct PolicyColumn {
    enum class Kind {
        Text, // a string
        Integer, // a whole number
        Duration, // "90s" or integer milliseconds
        Money, // decimal dollars (a JSON number)
        Choice, // one of `choices`
        List, // a list of strings, edited as "a, b, c"
        Bool, // a check box
    };
    JsonPath key; // inside the item, e.g. {"match", "endpoints"}
    QString title;
    Kind kind = Kind::Text;
    QStringList choices;
    QString absentText; // shown (greyed) when the item does not say: the default
    QString toolTip; // what the column means
    /// Whether the column means anything for this item (e.g. "window" for a token bucket:
    /// no); a column that does not apply is greyed and read-only. Null = always.
    std::function<bool(const QJsonObject& item)> applies;
};

/// A table over one list of the candidate policy (a PolicyDocument): one row per item, in
/// document order (which is evaluation order for rules), one column per member. Edits go to
/// the document, which rewrites the JSON text; problems core/policy finds in a cell are shown
/// on it (red, with the message as tooltip), so the form points at the bad field as the JSON
/// view does.
class PolicyTableModel : public QAbstractTableModel {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyTableModel)
public:
    enum Role {
        ProblemRole = Qt::UserRole + 1, // QStringList: the problems of the cell
        PathRole, // QString: the cell's JSON path ("rules[2].window")
        ChoicesRole, // QStringList: the values of a Choice column
        KindRole, // int: PolicyColumn::Kind
    };

    PolicyTableModel(PolicyDocument* document, QString listKey, QObject* parent = nullptr);
    ~PolicyTableModel() override;

    PolicyDocument* document() const { return m_document; }
    const QString& listKey() const { return m_listKey; }
    const QList<PolicyColumn>& columns() const { return m_columns; }
    /// The column of `key`, -1 when absent.
    int columnOf(const JsonPath& key) const;
    /// The JSON path of a cell.
    JsonPath pathOf(int row, int column) const;
    /// The cell showing `path` (an error's path), invalid when none does.
    QModelIndex indexOfPath(const JsonPath& path) const;
    JsonPath itemPath(int row) const { return JsonPath { PathStep::member(m_listKey) } / row; }
    QJsonObject item(int row) const;

    /// A new item at `row` (the end when row < 0), made by newItem(); returns its row or -1.
    int addItem(int row = -1);
    bool removeItemAt(int row);
    bool moveItem(int from, int to);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

protected:
    void setColumns(QList<PolicyColumn> columns);
    /// The item added by addItem(), unique among `existing` items.
    virtual QJsonObject newItem(const QJsonArray& existing) const = 0;
    /// Lets a subclass keep an item consistent when a member changes (switching a rule's
    /// algorithm trades window/limit for rate/period/burst). `item` has the new value already.
    virtual void adjust(QJsonObject& item, const JsonPath& changed) const;
    /// The columns for `root`; by default those of setColumns(). Models whose columns depend
    /// on the document (a plan's quota metrics) override it; called on every change.
    virtual QList<PolicyColumn> columnsFor(const QJsonObject& root) const;
    /// Reads the document again (subclasses call it at the end of their constructor).
    void refresh();

private:
    void documentChanged();
    QString displayText(const QJsonValue& value, const PolicyColumn& column) const;
    int columnOfProblem(const JsonPath& path, int row) const;
    QJsonValue parse(const QString& text, const PolicyColumn& column) const;

    QPointer<PolicyDocument> m_document;
    QString m_listKey;
    QList<PolicyColumn> m_staticColumns;
    QList<PolicyColumn> m_columns;
    int m_rows = 0;
};

} // namespace qc::workbench
