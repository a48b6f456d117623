#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>
#include <QVariant>

#include <functional>

namespace qc::models {

/// The roles every ValueTableModel answers besides Qt's.
enum ValueRole {
    SortRole = Qt::UserRole + 100, // a value that sorts right (numbers, times)
    KeyRole, // the row's identity (an id), for selection that survives a refresh
};

/// A read-only table over a list of value structs `T`, one row per value, with columns
/// described as functions of the value (STYLE.md habits 8 and 9: value structs in, resetData).
/// Subclasses add their columns in their constructor.
template<typename T> class ValueTableModel : public QAbstractTableModel {
public:
    struct Column {
        QString title;
        std::function<QVariant(const T&)> display; // Qt::DisplayRole
        std::function<QVariant(const T&)> sort; // SortRole; display when unset
        std::function<QVariant(const T&, int role)> other; // any other role
        Qt::Alignment alignment = Qt::AlignLeft | Qt::AlignVCenter;
        QString toolTip; // of the header
    };

    explicit ValueTableModel(QObject* parent = nullptr)
        : QAbstractTableModel(parent)
    {
    }

    /// Replaces every row.
    void resetData(const QList<T>& rows)
    {
        beginResetModel();
        m_rows = rows;
        endResetModel();
    }

    /// Appends rows at the end (a page of a paged table).
    void appendRows(const QList<T>& rows)
    {
        if (rows.isEmpty())
            return;
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + rows.size() - 1));
        m_rows.append(rows);
        endInsertRows();
    }

    const QList<T>& rows() const { return m_rows; }
    const T* rowAt(int row) const
    {
        return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr;
    }
    const Column& column(int c) const { return m_columns.at(c); }

    int rowCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex& parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_columns.size());
    }

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        const T& row = m_rows.at(index.row());
        const Column& c = m_columns.at(index.column());
        switch (role) {
        case Qt::DisplayRole:
            return c.display ? c.display(row) : QVariant();
        case SortRole:
            return c.sort ? c.sort(row) : (c.display ? c.display(row) : QVariant());
        case Qt::TextAlignmentRole:
            return QVariant::fromValue(c.alignment);
        case KeyRole:
            return keyOf(row);
        default:
            return c.other ? c.other(row, role) : QVariant();
        }
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || section < 0 || section >= m_columns.size())
            return {};
        if (role == Qt::DisplayRole)
            return m_columns.at(section).title;
        if (role == Qt::ToolTipRole && !m_columns.at(section).toolTip.isEmpty())
            return m_columns.at(section).toolTip;
        if (role == Qt::TextAlignmentRole)
            return QVariant::fromValue(m_columns.at(section).alignment);
        return {};
    }

protected:
    void addColumn(Column column) { m_columns.append(std::move(column)); }
    /// The KeyRole of a row; override for selection that survives resets.
    virtual QVariant keyOf(const T& row) const
    {
        Q_UNUSED(row)
        return {};
    }

private:
    QList<Column> m_columns;
    QList<T> m_rows;
};

} // namespace qc::models
