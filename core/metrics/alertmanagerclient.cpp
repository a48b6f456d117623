#include "metrics/alertmanagerclient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTimer>

namespace qc::metrics {

using namespace Qt::StringLiterals;

namespace {

QMap<QString, QString> stringMap(const QJsonObject& object)
{
    QMap<QString, QString> out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(it.key(), it.value().toString());
    return out;
}

QJsonObject toJson(const QMap<QString, QString>& map)
{
    QJsonObject out;
    for (auto it = map.begin(); it != map.end(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QStringList stringList(const QJsonValue& value)
{
    QStringList out;
    for (const QJsonValue& v : value.toArray())
        out.append(v.toString());
    return out;
}

// "HTTP 400: silence invalid: ..." from Alertmanager's error answers (JSON string or text).
QString httpError(int status, const QByteArray& body)
{
    QString text = QString::fromUtf8(body).trimmed();
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject() && doc.object().contains(u"message"))
        text = doc.object().value(u"message").toString();
    else if (text.startsWith(u'"') && text.endsWith(u'"'))
        text = text.mid(1, text.size() - 2);
    if (text.size() > 300)
        text = text.left(300) + u'…';
    return text.isEmpty() ? u"HTTP %1"_s.arg(status) : u"HTTP %1: %2"_s.arg(status).arg(text);
}

} // namespace

QList<AmMatcher> AmSilence::matchersFor(const QMap<QString, QString>& labels)
{
    QList<AmMatcher> out;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        out.append({ it.key(), it.value(), false, true });
    return out;
}

bool AmSilence::matchesExactly(const QMap<QString, QString>& labels) const
{
    if (matchers.size() != labels.size())
        return false;
    for (const AmMatcher& m : matchers) {
        if (m.isRegex || !m.isEqual)
            return false;
        const auto it = labels.find(m.name);
        if (it == labels.end() || it.value() != m.value)
            return false;
    }
    return true;
}

AlertmanagerClient::AlertmanagerClient(
    QNetworkAccessManager* network, QUrl baseUrl, HttpAuth auth, QObject* parent)
    : QObject(parent)
    , m_network(network)
    , m_baseUrl(std::move(baseUrl))
    , m_auth(std::move(auth))
{
    qRegisterMetaType<AmAlertsResult>();
    qRegisterMetaType<AmSilencesResult>();
    qRegisterMetaType<AmWriteResult>();
}

AlertmanagerClient::~AlertmanagerClient() = default;

QDateTime AlertmanagerClient::parseTime(const QString& text)
{
    // 2026-01-05T14:05:00.123456789Z or ...+01:00; Qt reads at most milliseconds.
    static const QRegularExpression form(
        u"^(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2})(?:\\.(\\d+))?(Z|[+-]\\d{2}:\\d{2})$"_s);
    const QRegularExpressionMatch m = form.match(text.trimmed());
    if (!m.hasMatch())
        return {};
    QString fraction = m.captured(2);
    fraction = QString(fraction + u"000"_s).left(3);
    const QDateTime t
        = QDateTime::fromString(m.captured(1) + u'.' + fraction + m.captured(3), Qt::ISODateWithMs);
    return t.isValid() ? t.toUTC() : QDateTime();
}

QString AlertmanagerClient::formatTime(const QDateTime& time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

AmAlertsResult AlertmanagerClient::parseAlerts(const QByteArray& json)
{
    AmAlertsResult result;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isArray()) {
        result.error = u"the answer is not a list of alerts (%1)"_s.arg(
            error.error != QJsonParseError::NoError ? error.errorString() : u"not an array"_s);
        return result;
    }
    for (const QJsonValue& v : doc.array()) {
        const QJsonObject o = v.toObject();
        AmAlert a;
        a.fingerprint = o.value(u"fingerprint").toString();
        a.labels = stringMap(o.value(u"labels").toObject());
        a.annotations = stringMap(o.value(u"annotations").toObject());
        a.startsAt = parseTime(o.value(u"startsAt").toString());
        a.endsAt = parseTime(o.value(u"endsAt").toString());
        a.updatedAt = parseTime(o.value(u"updatedAt").toString());
        const QJsonObject status = o.value(u"status").toObject();
        a.state = status.value(u"state").toString();
        a.silencedBy = stringList(status.value(u"silencedBy"));
        a.inhibitedBy = stringList(status.value(u"inhibitedBy"));
        for (const QJsonValue& r : o.value(u"receivers").toArray())
            a.receivers.append(r.toObject().value(u"name").toString());
        a.generatorUrl = o.value(u"generatorURL").toString();
        result.alerts.append(a);
    }
    return result;
}

AmSilencesResult AlertmanagerClient::parseSilences(const QByteArray& json)
{
    AmSilencesResult result;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (!doc.isArray()) {
        result.error = u"the answer is not a list of silences (%1)"_s.arg(
            error.error != QJsonParseError::NoError ? error.errorString() : u"not an array"_s);
        return result;
    }
    for (const QJsonValue& v : doc.array()) {
        const QJsonObject o = v.toObject();
        AmSilence s;
        s.id = o.value(u"id").toString();
        for (const QJsonValue& mv : o.value(u"matchers").toArray()) {
            const QJsonObject m = mv.toObject();
            s.matchers.append({ m.value(u"name").toString(), m.value(u"value").toString(),
                m.value(u"isRegex").toBool(), m.value(u"isEqual").toBool(true) });
        }
        s.startsAt = parseTime(o.value(u"startsAt").toString());
        s.endsAt = parseTime(o.value(u"endsAt").toString());
        s.updatedAt = parseTime(o.value(u"updatedAt").toString());
        s.createdBy = o.value(u"createdBy").toString();
        s.comment = o.value(u"comment").toString();
        s.state = o.value(u"status").toObject().value(u"state").toString();
        result.silences.append(s);
    }
    return result;
}

void AlertmanagerClient::send(
    Verb verb, const QString& path, const QByteArray& body, Handler handler)
{
    QUrl url = m_baseUrl;
    QString basePath = url.path();
    if (!basePath.endsWith(u'/'))
        basePath += u'/';
    url.setPath(basePath + path.section(u'?', 0, 0));
    if (path.contains(u'?'))
        url.setQuery(path.section(u'?', 1));
    QNetworkRequest request(url);
    request.setRawHeader("Accept", "application/json");
    if (verb == Verb::Post)
        request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    request.setTransferTimeout(int(m_timeout.count()));
    m_auth.apply(request);
    if (!m_network) {
        QTimer::singleShot(0, this, [handler] { handler(0, {}, u"no network access manager"_s); });
        return;
    }
    QNetworkReply* reply = nullptr;
    switch (verb) {
    case Verb::Get:
        reply = m_network->get(request);
        break;
    case Verb::Post:
        reply = m_network->post(request, body);
        break;
    case Verb::Delete:
        reply = m_network->deleteResource(request);
        break;
    }
    connect(reply, &QNetworkReply::finished, this, [reply, handler, url] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QByteArray data = reply->readAll();
        if (status == 0) {
            handler(0, {},
                u"Alertmanager at %1: %2"_s.arg(
                    url.toDisplayString(QUrl::RemoveQuery | QUrl::RemoveUserInfo),
                    reply->errorString()));
            return;
        }
        handler(status, data,
            status >= 200 && status < 300 ? QString()
                                          : u"Alertmanager: "_s + httpError(status, data));
    });
}

quint64 AlertmanagerClient::fetchAlerts()
{
    const quint64 id = ++m_nextId;
    send(Verb::Get, u"api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true"_s,
        {}, [this, id](int, const QByteArray& body, const QString& error) {
            AmAlertsResult r;
            if (error.isEmpty())
                r = parseAlerts(body);
            else
                r.error = error;
            r.id = id;
            Q_EMIT alertsFetched(r);
        });
    return id;
}

quint64 AlertmanagerClient::fetchSilences()
{
    const quint64 id = ++m_nextId;
    send(Verb::Get, u"api/v2/silences"_s, {},
        [this, id](int, const QByteArray& body, const QString& error) {
            AmSilencesResult r;
            if (error.isEmpty())
                r = parseSilences(body);
            else
                r.error = error;
            r.id = id;
            Q_EMIT silencesFetched(r);
        });
    return id;
}

quint64 AlertmanagerClient::createSilence(const AmSilence& silence)
{
    const quint64 id = ++m_nextId;
    QJsonObject o;
    if (!silence.id.isEmpty())
        o.insert(u"id"_s, silence.id);
    QJsonArray matchers;
    for (const AmMatcher& m : silence.matchers)
        matchers.append(QJsonObject { { u"name"_s, m.name }, { u"value"_s, m.value },
            { u"isRegex"_s, m.isRegex }, { u"isEqual"_s, m.isEqual } });
    o.insert(u"matchers"_s, matchers);
    o.insert(u"startsAt"_s, formatTime(silence.startsAt));
    o.insert(u"endsAt"_s, formatTime(silence.endsAt));
    o.insert(u"createdBy"_s, silence.createdBy);
    o.insert(u"comment"_s, silence.comment);
    send(Verb::Post, u"api/v2/silences"_s, QJsonDocument(o).toJson(QJsonDocument::Compact),
        [this, id](int status, const QByteArray& body, const QString& error) {
            AmWriteResult r;
            r.id = id;
            r.httpStatus = status;
            r.error = error;
            if (error.isEmpty()) {
                r.silenceId = QJsonDocument::fromJson(body).object().value(u"silenceID").toString();
                if (r.silenceId.isEmpty())
                    r.error = u"Alertmanager did not answer with a silence id"_s;
            }
            Q_EMIT silenceWritten(r);
        });
    return id;
}

quint64 AlertmanagerClient::expireSilence(const QString& silenceId)
{
    const quint64 id = ++m_nextId;
    send(Verb::Delete,
        u"api/v2/silence/"_s + QString::fromLatin1(QUrl::toPercentEncoding(silenceId)), {},
        [this, id, silenceId](int status, const QByteArray&, const QString& error) {
            AmWriteResult r;
            r.id = id;
            r.httpStatus = status;
            r.error = error;
            r.silenceId = silenceId;
            Q_EMIT silenceWritten(r);
        });
    return id;
}

quint64 AlertmanagerClient::postAlerts(const QList<AmAlert>& alerts)
{
    const quint64 id = ++m_nextId;
    QJsonArray array;
    for (const AmAlert& a : alerts) {
        QJsonObject o { { u"labels"_s, toJson(a.labels) },
            { u"annotations"_s, toJson(a.annotations) } };
        if (a.startsAt.isValid())
            o.insert(u"startsAt"_s, formatTime(a.startsAt));
        if (a.endsAt.isValid())
            o.insert(u"endsAt"_s, formatTime(a.endsAt));
        if (!a.generatorUrl.isEmpty())
            o.insert(u"generatorURL"_s, a.generatorUrl);
        array.append(o);
    }
    send(Verb::Post, u"api/v2/alerts"_s, QJsonDocument(array).toJson(QJsonDocument::Compact),
        [this, id](int status, const QByteArray&, const QString& error) {
            AmWriteResult r;
            r.id = id;
            r.httpStatus = status;
            r.error = error;
            Q_EMIT alertsPosted(r);
        });
    return id;
}

} // namespace qc::metrics
