#include "sqlcall.h"

#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

using namespace Qt::StringLiterals;

namespace qc::testsupport {

QJsonObject SqlResult::json() const
{
    return QJsonDocument::fromJson(value().toString().toUtf8()).object();
}

QByteArray SqlResult::describe() const
{
    return ok ? QByteArray("ok") : (sqlState + u": " + message).toUtf8();
}

SqlResult sqlCall(QSqlDatabase db, const QString& sql, const QVariantList& params)
{
    SqlResult result;
    QSqlQuery q(db);
    bool ok = false;
    if (params.isEmpty()) {
        ok = q.exec(sql);
    } else {
        ok = q.prepare(sql);
        for (const QVariant& p : params)
            q.addBindValue(p);
        ok = ok && q.exec();
    }
    if (!ok) {
        result.sqlState = q.lastError().nativeErrorCode();
        // QPSQL hands over libpq's whole text: "ERROR:  <message>\nDETAIL: ...".
        QString text = q.lastError().databaseText();
        if (text.isEmpty())
            text = q.lastError().text();
        text = text.section(u'\n', 0, 0);
        for (const QString& prefix : { u"ERROR:  "_s, u"FATAL:  "_s }) {
            if (text.startsWith(prefix))
                text = text.mid(prefix.size());
        }
        result.message = text.trimmed();
        return result;
    }
    result.ok = true;
    while (q.next()) {
        if (result.rows++ == 0) {
            for (int i = 0; i < q.record().count(); ++i)
                result.row << q.value(i);
        }
    }
    return result;
}

} // namespace qc::testsupport
