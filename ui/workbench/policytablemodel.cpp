#include "policytablemodel.h"

#include "policydocument.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QJsonArray>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

const QColor kProblemBackground(0xfd, 0xde, 0xdc);
const QColor kGrey(0x80, 0x80, 0x80);

QString numberText(double d)
{
    if (d == static_cast<double>(static_cast<qint64>(d)))
        return QString::number(static_cast<qint64>(d));
    return QString::number(d, 'g', QLocale::FloatingPointShortest);
}

bool sameKeys(const QList<PolicyColumn>& a, const QList<PolicyColumn>& b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (!(a.at(i).key == b.at(i).key) || a.at(i).title != b.at(i).title)
            return false;
    }
    return true;
}

} // namespace

PolicyTableModel::PolicyTableModel(PolicyDocument* document, QString listKey, QObject* parent)
    : QAbstractTableModel(parent)
    , m_document(document)
    , m_listKey(std::move(listKey))
{
    connect(document, &PolicyDocument::changed, this, &PolicyTableModel::documentChanged);
}

PolicyTableModel::~PolicyTableModel() = default;

void PolicyTableModel::setColumns(QList<PolicyColumn> columns)
{
    m_staticColumns = std::move(columns);
}

QList<PolicyColumn> PolicyTableModel::columnsFor(const QJsonObject&) const
{
    return m_staticColumns;
}

void PolicyTableModel::refresh()
{
    beginResetModel();
    m_columns = columnsFor(m_document ? m_document->root() : QJsonObject());
    m_rows = m_document ? static_cast<int>(m_document->value(itemPath(0).parent()).toArray().size())
                        : 0;
    endResetModel();
}

void PolicyTableModel::documentChanged()
{
    const QList<PolicyColumn> columns = columnsFor(m_document->root());
    const int rows = static_cast<int>(m_document->value(itemPath(0).parent()).toArray().size());
    if (rows != m_rows || !sameKeys(columns, m_columns)) {
        beginResetModel();
        m_columns = columns;
        m_rows = rows;
        endResetModel();
        return;
    }
    m_columns = columns;
    if (m_rows > 0 && !m_columns.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, columnCount() - 1));
    if (m_rows > 0)
        Q_EMIT headerDataChanged(Qt::Vertical, 0, m_rows - 1);
}

int PolicyTableModel::columnOf(const JsonPath& key) const
{
    for (qsizetype i = 0; i < m_columns.size(); ++i) {
        if (m_columns.at(i).key == key)
            return static_cast<int>(i);
    }
    return -1;
}

JsonPath PolicyTableModel::pathOf(int row, int column) const
{
    JsonPath path = itemPath(row);
    if (column >= 0 && column < m_columns.size()) {
        for (const PathStep& step : m_columns.at(column).key.steps())
            path = step.isIndex() ? path / step.index : path / step.key;
    }
    return path;
}

QModelIndex PolicyTableModel::indexOfPath(const JsonPath& path) const
{
    const QList<PathStep>& steps = path.steps();
    if (steps.size() < 2 || steps.at(0).key != m_listKey || !steps.at(1).isIndex())
        return {};
    const int row = steps.at(1).index;
    if (row >= m_rows)
        return {};
    // The longest column key the path lies in; the first column for the item itself.
    int best = 0;
    qsizetype bestLength = -1;
    for (int c = 0; c < m_columns.size(); ++c) {
        const JsonPath cell = pathOf(row, c);
        if (path.startsWith(cell) && cell.steps().size() > bestLength) {
            best = c;
            bestLength = cell.steps().size();
        }
    }
    return index(row, best);
}

QJsonObject PolicyTableModel::item(int row) const
{
    return m_document ? m_document->value(itemPath(row)).toObject() : QJsonObject();
}

int PolicyTableModel::addItem(int row)
{
    if (!m_document || !m_document->isSyntaxValid())
        return -1;
    const JsonPath list = itemPath(0).parent();
    const QJsonArray existing = m_document->value(list).toArray();
    if (row < 0 || row > existing.size())
        row = static_cast<int>(existing.size());
    return m_document->insertItem(list, row, newItem(existing)) ? row : -1;
}

bool PolicyTableModel::removeItemAt(int row)
{
    return m_document && m_document->removeItem(itemPath(0).parent(), row);
}

bool PolicyTableModel::moveItem(int from, int to)
{
    return m_document && m_document->moveItem(itemPath(0).parent(), from, to);
}

int PolicyTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int PolicyTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

QString PolicyTableModel::displayText(const QJsonValue& value, const PolicyColumn& column) const
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return numberText(value.toDouble());
    case QJsonValue::Bool:
        return value.toBool() ? tr("yes") : tr("no");
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue& v : value.toArray())
            parts.push_back(v.isString() ? v.toString() : displayText(v, column));
        return parts.join(u", "_s);
    }
    case QJsonValue::Object:
        return tr("(object)");
    case QJsonValue::Null:
        return u"null"_s;
    case QJsonValue::Undefined:
        break;
    }
    return {};
}

QVariant PolicyTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid) || !m_document)
        return {};
    const PolicyColumn& column = m_columns.at(index.column());
    const QJsonObject item = this->item(index.row());
    const QJsonValue value = valueAt(item, column.key);
    const bool applies = !column.applies || column.applies(item);
    const JsonPath path = pathOf(index.row(), index.column());

    auto problems = [&] {
        QStringList messages;
        for (const DocumentProblem& p : m_document->problems()) {
            if (p.syntax)
                continue;
            // The first column also carries the problems of the item as a whole.
            if (p.path.startsWith(path)
                || (index.column() == 0 && p.path.startsWith(itemPath(index.row()))
                    && columnOfProblem(p.path, index.row()) < 0))
                messages.push_back(p.message);
        }
        return messages;
    };

    switch (role) {
    case Qt::DisplayRole:
        if (column.kind == PolicyColumn::Kind::Bool && (value.isBool() || value.isUndefined()))
            return {};
        if (value.isUndefined())
            return applies ? column.absentText : QString();
        return displayText(value, column);
    case Qt::EditRole:
        if (column.kind == PolicyColumn::Kind::Bool)
            return value.toBool();
        return displayText(value, column);
    case Qt::CheckStateRole:
        if (column.kind != PolicyColumn::Kind::Bool)
            return {};
        if (value.isUndefined())
            return column.absentText == u"true"_s ? Qt::PartiallyChecked : Qt::Unchecked;
        return value.toBool() ? Qt::Checked : Qt::Unchecked;
    case Qt::ForegroundRole:
        if (!applies || (value.isUndefined() && !column.absentText.isEmpty()))
            return QBrush(kGrey);
        return {};
    case Qt::FontRole:
        if (value.isUndefined() && applies && !column.absentText.isEmpty()) {
            QFont font;
            font.setItalic(true);
            return font;
        }
        return {};
    case Qt::BackgroundRole:
        return problems().isEmpty() ? QVariant() : QVariant(QBrush(kProblemBackground));
    case Qt::ToolTipRole: {
        const QStringList messages = problems();
        if (!messages.isEmpty())
            return QString(path.toPolicyPath() % u": "_s % messages.join(u"\n"_s));
        if (!applies)
            return tr("Does not apply to this item.");
        if (value.isUndefined() && !column.absentText.isEmpty())
            return tr("Not set: %1 applies.").arg(column.absentText);
        return column.toolTip;
    }
    case ProblemRole:
        return problems();
    case PathRole:
        return path.toString();
    case ChoicesRole:
        return column.choices;
    case KindRole:
        return static_cast<int>(column.kind);
    default:
        return {};
    }
}

int PolicyTableModel::columnOfProblem(const JsonPath& path, int row) const
{
    for (int c = 0; c < m_columns.size(); ++c) {
        if (path.startsWith(pathOf(row, c)))
            return c;
    }
    return -1;
}

QJsonValue PolicyTableModel::parse(const QString& input, const PolicyColumn& column) const
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return QJsonValue(QJsonValue::Undefined); // not set: the default applies
    bool ok = false;
    switch (column.kind) {
    case PolicyColumn::Kind::Integer: {
        if (text.compare(u"unlimited"_s, Qt::CaseInsensitive) == 0)
            return -1;
        const qint64 n = QLocale::c().toLongLong(QString(text).remove(u','), &ok);
        return ok ? QJsonValue(n) : QJsonValue(text); // core/policy says what is wrong
    }
    case PolicyColumn::Kind::Duration: {
        const qint64 n = text.toLongLong(&ok);
        return ok ? QJsonValue(n) : QJsonValue(text);
    }
    case PolicyColumn::Kind::Money: {
        const double d = QLocale::c().toDouble(QString(text).remove(u'$'), &ok);
        return ok ? QJsonValue(d) : QJsonValue(text);
    }
    case PolicyColumn::Kind::List: {
        QJsonArray array;
        for (const QString& part : text.split(u',', Qt::SkipEmptyParts)) {
            if (!part.trimmed().isEmpty())
                array.append(part.trimmed());
        }
        return array;
    }
    case PolicyColumn::Kind::Bool:
        return text == u"true"_s || text == u"yes"_s || text == u"1"_s;
    case PolicyColumn::Kind::Text:
    case PolicyColumn::Kind::Choice:
        break;
    }
    return text;
}

bool PolicyTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid) || !m_document
        || !m_document->isSyntaxValid())
        return false;
    const PolicyColumn column = m_columns.at(index.column());
    QJsonValue json;
    if (role == Qt::CheckStateRole && column.kind == PolicyColumn::Kind::Bool)
        json = value.value<Qt::CheckState>() == Qt::Checked;
    else if (role == Qt::EditRole && column.kind == PolicyColumn::Kind::Bool)
        json = value.toBool();
    else if (role == Qt::EditRole)
        json = parse(value.toString(), column);
    else
        return false;
    QJsonObject item = this->item(index.row());
    if (valueAt(item, column.key) == json)
        return true;
    if (!setValueAt(item, column.key, json))
        return false;
    // An emptied sub-object ("match": {}) says nothing: drop it.
    for (JsonPath p = column.key.parent(); !p.isEmpty(); p = p.parent()) {
        if (valueAt(item, p).toObject().isEmpty())
            setValueAt(item, p, QJsonValue(QJsonValue::Undefined));
    }
    adjust(item, column.key);
    return m_document->setValue(itemPath(index.row()), item);
}

Qt::ItemFlags PolicyTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsSelectable | Qt::ItemIsEnabled;
    if (!m_document || !m_document->isSyntaxValid())
        return f;
    const PolicyColumn& column = m_columns.at(index.column());
    const QJsonObject item = this->item(index.row());
    if (column.applies && !column.applies(item))
        return f;
    if (column.kind == PolicyColumn::Kind::Bool)
        return f | Qt::ItemIsUserCheckable;
    return f | Qt::ItemIsEditable;
}

QVariant PolicyTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= m_columns.size())
            return {};
        if (role == Qt::DisplayRole)
            return m_columns.at(section).title;
        if (role == Qt::ToolTipRole)
            return m_columns.at(section).toolTip;
        return {};
    }
    if (section < 0 || section >= m_rows)
        return {};
    if (role == Qt::DisplayRole)
        return QString::number(section + 1);
    return {};
}

void PolicyTableModel::adjust(QJsonObject&, const JsonPath&) const { }

} // namespace qc::workbench
