#include "connectionstring.h"

#include <QSqlError>

#include <libpq-fe.h>

namespace qc::db {

namespace {

QString quoted(const QString& value)
{
    QString out = value;
    out.replace(u'\\', QStringLiteral("\\\\"));
    out.replace(u'\'', QStringLiteral("\\'"));
    return u'\'' + out + u'\'';
}

} // namespace

ConnectionString ConnectionString::parse(const QString& text)
{
    ConnectionString cs;
    char* errmsg = nullptr;
    PQconninfoOption* options = PQconninfoParse(text.toUtf8().constData(), &errmsg);
    if (!options) {
        const QString reason
            = errmsg ? QString::fromUtf8(errmsg).trimmed() : QStringLiteral("out of memory");
        PQfreemem(errmsg);
        cs.m_error = QStringLiteral("invalid connection string: %1; write it as "
                                    "postgresql://user@host:5432/dbname?sslmode=verify-full or as "
                                    "host=... port=... dbname=... user=...")
                         .arg(reason);
        return cs;
    }
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (o->val)
            cs.m_options.append({ QString::fromUtf8(o->keyword), QString::fromUtf8(o->val) });
    }
    PQconninfoFree(options);
    return cs;
}

QString ConnectionString::value(const QString& keyword) const
{
    for (const auto& [key, value] : m_options) {
        if (key == keyword)
            return value;
    }
    return {};
}

void ConnectionString::setValue(const QString& keyword, const QString& value)
{
    for (auto it = m_options.begin(); it != m_options.end(); ++it) {
        if (it->first == keyword) {
            if (value.isEmpty())
                m_options.erase(it);
            else
                it->second = value;
            return;
        }
    }
    if (!value.isEmpty())
        m_options.append({ keyword, value });
}

QString ConnectionString::redacted() const
{
    QStringList parts;
    for (const auto& [key, value] : m_options)
        parts << key + u'=' + (key == u"password" ? QStringLiteral("********") : quoted(value));
    return parts.join(u' ');
}

QString ConnectionString::open(const QString& connectionName) const
{
    if (!isValid())
        return m_error;
    // QPSQL quotes host, dbname, user and password itself; everything else goes through the
    // connect options, where the driver turns ';' into a separator.
    QStringList extra;
    QString host, database, user, password;
    int port = -1;
    for (const auto& [key, value] : m_options) {
        if (key == u"host")
            host = value;
        else if (key == u"dbname")
            database = value;
        else if (key == u"user")
            user = value;
        else if (key == u"password")
            password = value;
        else if (key == u"port" && value.toInt() > 0 && QString::number(value.toInt()) == value)
            port = value.toInt();
        else if (value.contains(u';'))
            return QStringLiteral("connection option %1 contains ';', which the Qt PostgreSQL "
                                  "driver cannot pass; put it in a service file (service=...) "
                                  "instead")
                .arg(key);
        else
            extra << key + u'=' + quoted(value);
    }
    QSqlDatabase db = QSqlDatabase::contains(connectionName)
        ? QSqlDatabase::database(connectionName, false)
        : QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    if (!db.isValid())
        return QStringLiteral("the Qt PostgreSQL driver (QPSQL) is not available; install the "
                              "package libqt6sql6-psql");
    db.close();
    db.setHostName(host);
    db.setDatabaseName(database);
    db.setUserName(user);
    db.setPassword(password);
    db.setPort(port);
    db.setConnectOptions(extra.join(u' '));
    if (!db.open()) {
        const QString given = redacted();
        const QString target = given.isEmpty()
            ? QStringLiteral("the server named by the PG* environment (none given)")
            : u'\'' + given + u'\'';
        const QString reason = db.lastError().databaseText().trimmed();
        return QStringLiteral("cannot connect with %1: %2")
            .arg(target, reason.isEmpty() ? db.lastError().text() : reason);
    }
    return {};
}

} // namespace qc::db
