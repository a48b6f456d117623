#include "workspace.h"

#include "enforcement/headers.h"
#include "policy/policyjson.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace qc::simulation {

namespace {

const QString kFormat = u"quota-console-workspace"_s;
constexpr int kVersion = 1;

QString timeText(enforcement::TimeMs ms)
{
    return QString::fromStdString(enforcement::formatTimestamp(ms));
}

QString scenarioText(const trace::Scenario& s)
{
    QString text = trace::scenarioName(s.kind);
    QStringList extra { s.offsetMs ? policy::formatDuration(*s.offsetMs) : QString(),
        s.durationMs ? policy::formatDuration(*s.durationMs) : QString(),
        s.rate > 0 ? QString::number(s.rate) : QString() };
    while (!extra.isEmpty() && extra.constLast().isEmpty())
        extra.removeLast();
    for (const QString& part : extra)
        text += u':' % part;
    return text;
}

QString kindName(WorkspaceSource::Kind kind)
{
    switch (kind) {
    case WorkspaceSource::Kind::File:
        return u"file"_s;
    case WorkspaceSource::Kind::Database:
        return u"database"_s;
    case WorkspaceSource::Kind::Generated:
        return u"generated"_s;
    }
    return {};
}

QString kindName(WorkspaceBaseline::Kind kind)
{
    switch (kind) {
    case WorkspaceBaseline::Kind::Default:
        return u"default"_s;
    case WorkspaceBaseline::Kind::ActiveVersion:
        return u"active"_s;
    case WorkspaceBaseline::Kind::Version:
        return u"version"_s;
    case WorkspaceBaseline::Kind::File:
        return u"file"_s;
    case WorkspaceBaseline::Kind::Inline:
        return u"inline"_s;
    }
    return {};
}

QString formatName(trace::Format format)
{
    return format == trace::Format::Csv  ? u"csv"_s
        : format == trace::Format::Jsonl ? u"jsonl"_s
                                         : u"auto"_s;
}

bool hasPassword(const QString& connection)
{
    static const QRegularExpression keyword(u"(^|\\s)password\\s*="_s);
    static const QRegularExpression uriPassword(u"^[a-z]+://[^/@]*:[^/@]*@"_s);
    static const QRegularExpression queryPassword(u"[?&]password="_s);
    return keyword.match(connection).hasMatch() || uriPassword.match(connection).hasMatch()
        || queryPassword.match(connection).hasMatch();
}

// Reads one document, collecting every problem with its path.
class Reader {
public:
    QList<WorkspaceError> errors;

    void error(const QString& path, const QString& message) { errors.push_back({ path, message }); }

    QJsonObject object(
        const QJsonObject& parent, const QString& key, const QString& path, bool required = true)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                error(path % u'.' % key, u"missing"_s);
            return {};
        }
        if (!v.isObject()) {
            error(path % u'.' % key, u"must be an object"_s);
            return {};
        }
        return v.toObject();
    }

    QString string(
        const QJsonObject& parent, const QString& key, const QString& path, bool required = true)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                error(path % u'.' % key, u"missing"_s);
            return {};
        }
        if (!v.isString()) {
            error(path % u'.' % key, u"must be a string"_s);
            return {};
        }
        return v.toString();
    }

    std::optional<double> number(
        const QJsonObject& parent, const QString& key, const QString& path, bool required = true)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull()) {
            if (required)
                error(path % u'.' % key, u"missing"_s);
            return std::nullopt;
        }
        if (!v.isDouble()) {
            error(path % u'.' % key, u"must be a number"_s);
            return std::nullopt;
        }
        return v.toDouble();
    }

    qint64 integer(const QJsonObject& parent, const QString& key, const QString& path, qint64 min,
        qint64 fallback, bool required = false)
    {
        const std::optional<double> v = number(parent, key, path, required);
        if (!v)
            return fallback;
        if (*v != static_cast<double>(static_cast<qint64>(*v)) || *v < static_cast<double>(min)) {
            error(path % u'.' % key, u"must be an integer of at least "_s % QString::number(min));
            return fallback;
        }
        return static_cast<qint64>(*v);
    }

    enforcement::TimeMs time(const QJsonObject& parent, const QString& key, const QString& path)
    {
        const QString text = string(parent, key, path);
        if (text.isEmpty())
            return 0;
        const QByteArray utf8 = text.toUtf8();
        const auto ms
            = enforcement::parseTimestamp(std::string_view(utf8.constData(), utf8.size()));
        if (!ms) {
            error(path % u'.' % key,
                u"'"_s % text % u"' is not a time; use RFC 3339, e.g. 2026-01-05T00:00:00Z"_s);
            return 0;
        }
        return *ms;
    }

    enforcement::TimeMs duration(const QJsonObject& parent, const QString& key, const QString& path,
        enforcement::TimeMs fallback)
    {
        const QJsonValue v = parent.value(key);
        if (v.isUndefined() || v.isNull())
            return fallback;
        const auto ms = v.isString() ? policy::parseDuration(v.toString()) : std::nullopt;
        if (!ms || *ms < 0) {
            error(path % u'.' % key,
                u"'"_s % v.toVariant().toString()
                    % u"' is not a duration; use e.g. 90s, 5m, 2h, 1d"_s);
            return fallback;
        }
        return *ms;
    }
};

WorkspaceSource readSource(Reader& r, const QJsonObject& o, const QString& path)
{
    WorkspaceSource s;
    const QString kind = r.string(o, u"kind"_s, path);
    s.warmupMs = r.duration(o, u"warmup"_s, path, 0);
    if (kind == u"file"_s) {
        s.kind = WorkspaceSource::Kind::File;
        s.path = r.string(o, u"path"_s, path);
        const QString format = r.string(o, u"format"_s, path, false);
        if (format == u"csv"_s)
            s.format = trace::Format::Csv;
        else if (format == u"jsonl"_s)
            s.format = trace::Format::Jsonl;
        else if (!format.isEmpty() && format != u"auto"_s)
            r.error(path % u".format"_s, u"'"_s % format % u"' is not csv, jsonl or auto"_s);
    } else if (kind == u"database"_s) {
        s.kind = WorkspaceSource::Kind::Database;
        s.connection = r.string(o, u"connection"_s, path, false);
        if (hasPassword(s.connection))
            r.error(path % u".connection"_s,
                u"contains a password; workspaces never keep one (use a profile or ~/.pgpass)"_s);
        s.fromMs = r.time(o, u"from"_s, path);
        s.toMs = r.time(o, u"to"_s, path);
        if (r.errors.isEmpty() && s.toMs <= s.fromMs)
            r.error(path % u".to"_s, u"must be after from"_s);
    } else if (kind == u"generated"_s) {
        s.kind = WorkspaceSource::Kind::Generated;
        trace::GeneratorOptions& g = s.generator;
        const QJsonObject gen = r.object(o, u"generator"_s, path);
        const QString gpath = path % u".generator"_s;
        g.startMs = gen.contains(u"start"_s) ? r.time(gen, u"start"_s, gpath) : g.startMs;
        g.durationMs = r.duration(gen, u"duration"_s, gpath, g.durationMs);
        g.seed = static_cast<quint64>(r.integer(gen, u"seed"_s, gpath, 0, 1));
        g.users = static_cast<int>(r.integer(gen, u"users"_s, gpath, 1, g.users));
        g.ips = static_cast<int>(r.integer(gen, u"ips"_s, gpath, 1, g.ips));
        if (const auto rate = r.number(gen, u"rate"_s, gpath, false)) {
            if (*rate <= 0)
                r.error(gpath % u".rate"_s, u"must be greater than 0"_s);
            else
                g.requestsPerSecond = *rate;
        }
        const QJsonValue scenarios = gen.value(u"scenarios"_s);
        if (!scenarios.isUndefined()) {
            g.scenarios.clear();
            if (!scenarios.isArray())
                r.error(gpath % u".scenarios"_s, u"must be an array of scenario texts"_s);
            const QJsonArray list = scenarios.toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                QString why;
                const auto scenario = trace::parseScenario(list.at(i).toString(), &why);
                if (!list.at(i).isString() || !scenario)
                    r.error(gpath % u".scenarios["_s % QString::number(i) % u']',
                        list.at(i).isString() ? why : u"must be a string"_s);
                else
                    g.scenarios.push_back(*scenario);
            }
        }
    } else if (!kind.isEmpty()) {
        r.error(path % u".kind"_s, u"'"_s % kind % u"' is not file, database or generated"_s);
    }
    return s;
}

WorkspaceBaseline readBaseline(Reader& r, const QJsonObject& o, const QString& path)
{
    WorkspaceBaseline b;
    const QString kind = r.string(o, u"kind"_s, path);
    if (kind == u"default"_s) {
        b.kind = WorkspaceBaseline::Kind::Default;
    } else if (kind == u"active"_s) {
        b.kind = WorkspaceBaseline::Kind::ActiveVersion;
    } else if (kind == u"version"_s) {
        b.kind = WorkspaceBaseline::Kind::Version;
        b.versionId = r.integer(o, u"id"_s, path, 1, 0, true);
    } else if (kind == u"file"_s) {
        b.kind = WorkspaceBaseline::Kind::File;
        b.path = r.string(o, u"path"_s, path);
    } else if (kind == u"inline"_s) {
        b.kind = WorkspaceBaseline::Kind::Inline;
        const QJsonObject policy = r.object(o, u"policy"_s, path);
        b.policyJson = QJsonDocument(policy).toJson();
    } else if (!kind.isEmpty()) {
        r.error(path % u".kind"_s,
            u"'"_s % kind % u"' is not default, active, version, file or inline"_s);
    }
    return b;
}

QJsonObject summaryJson(const WorkspaceSummary& s)
{
    QJsonObject o {
        { u"reported_requests"_s, static_cast<qint64>(s.reportedRequests) },
        { u"newly_denied"_s, static_cast<qint64>(s.newlyDenied) },
        { u"newly_admitted"_s, static_cast<qint64>(s.newlyAdmitted) },
        { u"paid_newly_denied"_s, static_cast<qint64>(s.paidNewlyDenied) },
        { u"paid_denied_pct"_s, s.paidDeniedPct },
        { u"cost_saved_micro_usd"_s, static_cast<qint64>(s.costSavedMicroUsd) },
    };
    if (s.fidelityPct)
        o.insert(u"fidelity_pct"_s, *s.fidelityPct);
    return o;
}

} // namespace

QString WorkspaceLoadResult::errorText() const
{
    QStringList lines;
    for (const WorkspaceError& e : errors)
        lines.push_back(e.toString());
    return lines.join(u'\n');
}

WorkspaceSummary summaryOf(const QJsonObject& report)
{
    WorkspaceSummary s;
    s.reportedRequests = static_cast<std::uint64_t>(
        report.value(u"trace"_s).toObject().value(u"reported_requests"_s).toInteger());
    s.newlyDenied = static_cast<std::uint64_t>(
        report.value(u"newly_denied"_s).toObject().value(u"total"_s).toInteger());
    s.newlyAdmitted = static_cast<std::uint64_t>(
        report.value(u"newly_admitted"_s).toObject().value(u"total"_s).toInteger());
    s.paidNewlyDenied
        = static_cast<std::uint64_t>(report.value(u"paid_newly_denied"_s).toInteger());
    s.paidDeniedPct = report.value(u"paid_denied_pct"_s).toDouble();
    s.costSavedMicroUsd = report.value(u"cost_saved_micro_usd"_s).toInteger();
    const QJsonObject fidelity = report.value(u"fidelity"_s).toObject();
    if (fidelity.value(u"available"_s).toBool())
        s.fidelityPct = fidelity.value(u"agreement_pct"_s).toDouble();
    return s;
}

WorkspaceLoadResult parseWorkspace(const QByteArray& json)
{
    WorkspaceLoadResult result;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Line and column of the offset, for a person looking at the file.
        const QByteArray head = json.left(parseError.offset);
        const qsizetype line = head.count('\n') + 1;
        const qsizetype column = parseError.offset - (head.lastIndexOf('\n') + 1) + 1;
        result.errors.push_back({ u"workspace"_s,
            u"not JSON (line "_s % QString::number(line) % u':' % QString::number(column) % u"): "_s
                % parseError.errorString() });
        return result;
    }
    if (!doc.isObject()) {
        result.errors.push_back({ u"workspace"_s, u"must be a JSON object"_s });
        return result;
    }
    const QJsonObject root = doc.object();
    Reader r;
    const QString path = u"workspace"_s;
    if (root.value(u"format"_s).toString() != kFormat) {
        r.error(
            path % u".format"_s, u"must be \""_s % kFormat % u"\" (is this a workspace file?)"_s);
        result.errors = r.errors;
        return result;
    }
    const qint64 version = r.integer(root, u"version"_s, path, 1, 0, true);
    if (version > kVersion) {
        r.error(path % u".version"_s,
            u"version "_s % QString::number(version)
                % u" was written by a newer Quota Console; this one reads version "_s
                % QString::number(kVersion));
        result.errors = r.errors;
        return result;
    }
    Workspace w;
    w.name = r.string(root, u"name"_s, path, false);
    const QString saved = r.string(root, u"saved_at"_s, path, false);
    w.savedAt = QDateTime::fromString(saved, Qt::ISODateWithMs);
    if (!saved.isEmpty() && !w.savedAt.isValid())
        r.error(path % u".saved_at"_s, u"'"_s % saved % u"' is not an RFC 3339 time"_s);
    w.source = readSource(r, r.object(root, u"source"_s, path), path % u".source"_s);
    w.baseline = readBaseline(r, r.object(root, u"baseline"_s, path), path % u".baseline"_s);
    if (w.baseline.kind == WorkspaceBaseline::Kind::ActiveVersion
        || w.baseline.kind == WorkspaceBaseline::Kind::Version) {
        if (w.source.kind != WorkspaceSource::Kind::Database)
            r.error(path % u".baseline.kind"_s, u"a policy version needs a database source"_s);
    }
    const QJsonObject candidate = r.object(root, u"candidate"_s, path);
    const QJsonValue policy = candidate.value(u"policy"_s);
    const QJsonValue text = candidate.value(u"text"_s);
    if (policy.isObject())
        w.candidateJson = QJsonDocument(policy.toObject()).toJson();
    else if (text.isString())
        w.candidateJson = text.toString().toUtf8();
    else if (!candidate.isEmpty())
        r.error(path % u".candidate"_s,
            u"needs \"policy\" (the policy as an object) or \"text\" (a draft as a string)"_s);
    w.sweep = r.string(root, u"sweep"_s, path, false);
    const QJsonObject results = r.object(root, u"results"_s, path, false);
    if (!results.isEmpty()) {
        WorkspaceResults res;
        const QString rpath = path % u".results"_s;
        const QString ran = r.string(results, u"ran_at"_s, rpath);
        res.ranAt = QDateTime::fromString(ran, Qt::ISODateWithMs);
        if (!ran.isEmpty() && !res.ranAt.isValid())
            r.error(rpath % u".ran_at"_s, u"'"_s % ran % u"' is not an RFC 3339 time"_s);
        res.report = r.object(results, u"report"_s, rpath, false);
        res.sweep = r.object(results, u"sweep"_s, rpath, false);
        if (res.report.isEmpty() && res.sweep.isEmpty())
            r.error(rpath, u"holds neither a report nor a sweep"_s);
        if (!res.report.isEmpty()) {
            for (const QString& key : { u"trace"_s, u"baseline"_s, u"candidate"_s,
                     u"newly_denied"_s, u"newly_admitted"_s })
                if (!res.report.value(key).isObject())
                    r.error(rpath % u".report."_s % key, u"missing (not a simulation report)"_s);
            res.summary = summaryOf(res.report);
        }
        w.results = res;
    }
    result.errors = r.errors;
    if (r.errors.isEmpty())
        result.workspace = std::move(w);
    return result;
}

WorkspaceLoadResult loadWorkspace(const QString& fileName)
{
    QFile file(fileName);
    if (!file.open(QIODevice::ReadOnly)) {
        WorkspaceLoadResult result;
        result.errors.push_back(
            { u"workspace"_s, u"cannot read "_s % fileName % u": "_s % file.errorString() });
        return result;
    }
    return parseWorkspace(file.readAll());
}

std::optional<QByteArray> toJson(const Workspace& w, QString* error)
{
    const WorkspaceSource& s = w.source;
    if (s.kind == WorkspaceSource::Kind::Database && hasPassword(s.connection)) {
        if (error)
            *error = u"the connection string holds a password; workspaces never keep one (use "
                     u"a connection profile or ~/.pgpass)"_s;
        return std::nullopt;
    }
    QJsonObject source { { u"kind"_s, kindName(s.kind) } };
    if (s.warmupMs > 0)
        source.insert(u"warmup"_s, policy::formatDuration(s.warmupMs));
    switch (s.kind) {
    case WorkspaceSource::Kind::File:
        source.insert(u"path"_s, s.path);
        source.insert(u"format"_s, formatName(s.format));
        break;
    case WorkspaceSource::Kind::Database:
        source.insert(u"connection"_s, s.connection);
        source.insert(u"from"_s, timeText(s.fromMs));
        source.insert(u"to"_s, timeText(s.toMs));
        break;
    case WorkspaceSource::Kind::Generated: {
        const trace::GeneratorOptions& g = s.generator;
        QJsonArray scenarios;
        for (const trace::Scenario& scenario : g.scenarios)
            scenarios.append(scenarioText(scenario));
        source.insert(u"generator"_s,
            QJsonObject { { u"start"_s, timeText(g.startMs) },
                { u"duration"_s, policy::formatDuration(g.durationMs) },
                { u"seed"_s, static_cast<qint64>(g.seed) }, { u"users"_s, g.users },
                { u"ips"_s, g.ips }, { u"rate"_s, g.requestsPerSecond },
                { u"scenarios"_s, scenarios } });
        break;
    }
    }
    QJsonObject baseline { { u"kind"_s, kindName(w.baseline.kind) } };
    if (w.baseline.kind == WorkspaceBaseline::Kind::Version)
        baseline.insert(u"id"_s, w.baseline.versionId);
    else if (w.baseline.kind == WorkspaceBaseline::Kind::File)
        baseline.insert(u"path"_s, w.baseline.path);
    else if (w.baseline.kind == WorkspaceBaseline::Kind::Inline)
        baseline.insert(u"policy"_s, QJsonDocument::fromJson(w.baseline.policyJson).object());
    // A candidate that is a JSON object is kept as one (readable, diffable); a draft that does
    // not parse yet is kept as text.
    QJsonObject candidate;
    const QJsonDocument candidateDoc = QJsonDocument::fromJson(w.candidateJson);
    if (candidateDoc.isObject())
        candidate.insert(u"policy"_s, candidateDoc.object());
    else
        candidate.insert(u"text"_s, QString::fromUtf8(w.candidateJson));
    QJsonObject root {
        { u"format"_s, kFormat },
        { u"version"_s, kVersion },
        { u"name"_s, w.name },
        { u"saved_at"_s,
            (w.savedAt.isValid() ? w.savedAt : QDateTime::currentDateTimeUtc())
                .toUTC()
                .toString(Qt::ISODateWithMs) },
        { u"source"_s, source },
        { u"baseline"_s, baseline },
        { u"candidate"_s, candidate },
    };
    if (!w.sweep.isEmpty())
        root.insert(u"sweep"_s, w.sweep);
    if (w.results) {
        QJsonObject results {
            { u"ran_at"_s, w.results->ranAt.toUTC().toString(Qt::ISODateWithMs) },
            { u"summary"_s, summaryJson(w.results->summary) },
        };
        if (!w.results->report.isEmpty())
            results.insert(u"report"_s, w.results->report);
        if (!w.results->sweep.isEmpty())
            results.insert(u"sweep"_s, w.results->sweep);
        root.insert(u"results"_s, results);
    }
    return QJsonDocument(root).toJson();
}

QString saveWorkspace(const Workspace& workspace, const QString& fileName)
{
    QString error;
    const std::optional<QByteArray> json = toJson(workspace, &error);
    if (!json)
        return error;
    QSaveFile file(fileName);
    if (!file.open(QIODevice::WriteOnly))
        return u"cannot write "_s % fileName % u": "_s % file.errorString();
    if (file.write(*json) != json->size() || !file.commit())
        return u"writing "_s % fileName % u" failed: "_s % file.errorString();
    return {};
}

} // namespace qc::simulation
