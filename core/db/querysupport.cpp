#include "db/pgconnection.h"
#include "enforcement/ipaddress.h"
#include "querysupport_p.h"

#include <QJsonDocument>

#include <cstdint>
#include <libpq-fe.h>
#include <vector>

namespace qc::db::detail {

using namespace Qt::StringLiterals;

namespace {

QByteArray paramText(const QVariant& v)
{
    switch (v.typeId()) {
    case QMetaType::QDateTime:
        return v.toDateTime().toUTC().toString(Qt::ISODateWithMs).toUtf8();
    case QMetaType::Bool:
        return v.toBool() ? "t" : "f";
    case QMetaType::Double:
        return QByteArray::number(v.toDouble(), 'g', 17);
    default:
        return v.toString().toUtf8();
    }
}

QString serverMessage(const PGresult* result, PGconn* conn)
{
    QString text = result ? QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY))
                          : QString();
    if (text.isEmpty())
        text = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    if (result) {
        const QString detail
            = QString::fromUtf8(PQresultErrorField(result, PG_DIAG_MESSAGE_DETAIL));
        if (!detail.isEmpty())
            text += u" ("_s + detail + u')';
    }
    return text;
}

} // namespace

QString us(const QString& expression)
{
    return u"(extract(epoch FROM "_s + expression + u") * 1000000)::bigint"_s;
}

QString bind(QVariantList& params, const QVariant& value)
{
    params.append(value);
    return u'$' + QString::number(params.size());
}

QString networkPrefixPattern(const QString& network)
{
    const auto cidr = enforcement::Cidr::parse(network.trimmed().toStdString());
    if (!cidr)
        return u"%"_s;
    if (!cidr->base.isV4())
        return u"%:%"_s;
    const QStringList parts = QString::fromStdString(cidr->base.toString()).split(u'.');
    QString prefix;
    for (int i = 0; i < (cidr->prefix128 - 96) / 8 && i < parts.size(); ++i)
        prefix += parts.at(i) + u'.';
    return prefix.isEmpty() ? u"%.%"_s : prefix + u'%';
}

QString networkAddressArray(const QString& network)
{
    constexpr int kMostHostBits = 12; // a /20: 4,096 addresses
    const auto cidr = enforcement::Cidr::parse(network.trimmed().toStdString());
    if (!cidr || !cidr->base.isV4() || 128 - cidr->prefix128 > kMostHostBits)
        return {};
    const auto first = static_cast<std::uint32_t>(cidr->base.lo);
    const std::uint32_t count = 1U << (128 - cidr->prefix128);
    QString list = u"{"_s;
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint32_t a = first + i;
        if (i > 0)
            list += u',';
        list += QString::number(a >> 24) + u'.' + QString::number((a >> 16) & 255) + u'.'
            + QString::number((a >> 8) & 255) + u'.' + QString::number(a & 255);
    }
    return list + u'}';
}

PgQuery::PgQuery(QSqlDatabase db, QString what, const QString& sql, const QVariantList& params)
    : m_what(std::move(what))
{
    QString error;
    PGconn* conn = pgConnection(db, &error);
    if (!conn) {
        m_error = u"%1 failed: %2"_s.arg(m_what, error);
        return;
    }
    run(conn, sql, params);
}

PgQuery::PgQuery(PGconn* conn, QString what, const QString& sql, const QVariantList& params)
    : m_what(std::move(what))
{
    run(conn, sql, params);
}

PgQuery::~PgQuery()
{
    if (m_result)
        PQclear(m_result);
}

PgQuery::PgQuery(PgQuery&& other) noexcept
    : m_what(std::move(other.m_what))
    , m_error(std::move(other.m_error))
    , m_sqlState(std::move(other.m_sqlState))
    , m_result(std::exchange(other.m_result, nullptr))
{
}

PgQuery& PgQuery::operator=(PgQuery&& other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_what = std::move(other.m_what);
        m_error = std::move(other.m_error);
        m_sqlState = std::move(other.m_sqlState);
        m_result = std::exchange(other.m_result, nullptr);
    }
    return *this;
}

void PgQuery::run(PGconn* conn, const QString& sql, const QVariantList& params)
{
    std::vector<QByteArray> texts;
    std::vector<const char*> values;
    texts.reserve(std::size_t(params.size()));
    values.reserve(std::size_t(params.size()));
    for (const QVariant& p : params) {
        if (p.isNull()) {
            texts.emplace_back();
            values.push_back(nullptr);
        } else {
            texts.push_back(paramText(p));
            values.push_back(texts.back().constData());
        }
    }
    const QByteArray statement = sql.toUtf8();
    m_result = PQexecParams(conn, statement.constData(), int(values.size()), nullptr, values.data(),
        nullptr, nullptr, 0);
    const ExecStatusType status = m_result ? PQresultStatus(m_result) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        if (m_result)
            m_sqlState = QString::fromLatin1(PQresultErrorField(m_result, PG_DIAG_SQLSTATE));
        m_error = u"%1 failed: %2"_s.arg(m_what, serverMessage(m_result, conn));
    }
}

int PgQuery::rows() const
{
    return ok() && m_result ? PQntuples(m_result) : 0;
}

bool PgQuery::isNull(int row, int column) const
{
    return !m_result || PQgetisnull(m_result, row, column);
}

QString PgQuery::text(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QString::fromUtf8(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
}

qint64 PgQuery::integer(int row, int column) const
{
    return isNull(row, column) ? 0 : QByteArray(PQgetvalue(m_result, row, column)).toLongLong();
}

std::optional<qint64> PgQuery::optionalInteger(int row, int column) const
{
    if (isNull(row, column))
        return std::nullopt;
    return integer(row, column);
}

double PgQuery::number(int row, int column) const
{
    return isNull(row, column) ? 0.0 : QByteArray(PQgetvalue(m_result, row, column)).toDouble();
}

std::optional<double> PgQuery::optionalNumber(int row, int column) const
{
    if (isNull(row, column))
        return std::nullopt;
    return number(row, column);
}

bool PgQuery::boolean(int row, int column) const
{
    return !isNull(row, column) && PQgetvalue(m_result, row, column)[0] == 't';
}

QDateTime PgQuery::timeUs(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return fromMicros(integer(row, column));
}

QJsonObject PgQuery::jsonObject(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QJsonDocument::fromJson(QByteArray(PQgetvalue(m_result, row, column))).object();
}

QString globToLike(const QString& glob)
{
    QString out;
    out.reserve(glob.size() + 8);
    for (const QChar c : glob) {
        if (c == u'\\' || c == u'%' || c == u'_') {
            out += u'\\';
            out += c;
        } else if (c == u'*') {
            out += u'%';
        } else if (c == u'?') {
            out += u'_';
        } else {
            out += c;
        }
    }
    return out;
}

QString command(PGconn* conn, const QString& sql)
{
    PgQuery q(conn, sql.section(u' ', 0, 0), sql);
    return q.error();
}

} // namespace qc::db::detail
