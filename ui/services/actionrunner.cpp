#include "actionrunner.h"

#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/session.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMutex>
#include <QTimer>

namespace qc::services {

using namespace Qt::StringLiterals;

namespace {

QString trRunner(const char* text)
{
    return QCoreApplication::translate("qc::services::ActionRunner", text);
}

QMutex g_hookMutex;
std::function<bool(QSqlDatabase&, const db::ActionResult&)> g_replyLossHook;

// SQLSTATEs of a connection that broke under the call: the reply may be lost.
bool connectionFailure(const QString& sqlState)
{
    return sqlState.startsWith(u"08") || sqlState == u"57P01" || sqlState == u"57P02"
        || sqlState == u"57P03";
}

struct CallAnswer {
    db::ActionResult result;
    bool replyLost = false;
};

} // namespace

struct ActionRunner::Attempt {
    PendingAction action;
    QPointer<QObject> context;
    bool guarded = false;
    std::function<void(const ActionOutcome&)> done;
    QElapsedTimer sinceFirst;
    int attempts = 0;
    QString lastError;
    QMetaObject::Connection waiting;
    QTimer* deadline = nullptr;
    bool finished = false;
};

ActionRunner::ActionRunner(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{
}

ActionRunner::~ActionRunner() = default;

PendingAction ActionRunner::prepare(const QString& description,
    std::function<db::ActionResult(db::AdminActions&, const QString&)> call)
{
    return { db::AdminActions::newClientActionId(), description, std::move(call) };
}

void ActionRunner::setReplyLossHookForTests(
    std::function<bool(QSqlDatabase&, const db::ActionResult&)> hook)
{
    QMutexLocker locker(&g_hookMutex);
    g_replyLossHook = std::move(hook);
}

// The role each audited function needs (docs/database.md "Admin actions").
QString roleOfFunction(const QString& function)
{
    if (function == u"block" || function == u"unblock" || function == u"acknowledge_alert"
        || function == u"unacknowledge_alert")
        return u"quota_operator"_s;
    if (function == u"change_plan" || function == u"create_policy_version"
        || function == u"activate_policy_version" || function == u"rollback_policy")
        return u"quota_admin"_s;
    return {};
}

QString describeRefusal(const db::ActionResult& r, const QString& account)
{
    if (r.isPermissionDenied()) {
        // PostgreSQL's own "permission denied for function block" (EXECUTE not granted) says
        // less than the functions' check; say the same thing the functions say.
        static const QString prefix = u"permission denied for function "_s;
        if (r.message.startsWith(prefix)) {
            const QString function = r.message.mid(prefix.size()).trimmed();
            const QString role = roleOfFunction(function);
            if (!role.isEmpty() && !account.isEmpty())
                return trRunner("Refused by the database: permission denied: %1 requires role "
                                "%2, which %3 does not have. Ask an administrator: GRANT %2 TO "
                                "%3;")
                    .arg(function, role, account);
        }
        return trRunner("Refused by the database: %1").arg(r.message);
    }
    if (r.isConflict())
        return trRunner("Someone else changed it first — %1. The form shows the current state; "
                        "review it and try again.")
            .arg(r.message);
    QString text = r.message.isEmpty() ? trRunner("the database gave no reason") : r.message;
    if (!r.detail.isEmpty())
        text += u" ("_s + r.detail + u')';
    return trRunner("Refused by the database: %1").arg(text);
}

void ActionRunner::run(
    const PendingAction& action, QObject* context, std::function<void(const ActionOutcome&)> done)
{
    auto a = std::make_shared<Attempt>();
    a->action = action;
    if (a->action.clientActionId.isEmpty())
        a->action.clientActionId = db::AdminActions::newClientActionId();
    a->context = context;
    a->guarded = context != nullptr;
    a->done = std::move(done);
    a->sinceFirst.start();
    a->deadline = new QTimer(this);
    a->deadline->setSingleShot(true);
    connect(a->deadline, &QTimer::timeout, this, [this, a] {
        ActionOutcome o;
        o.status = ActionOutcome::Status::Unknown;
        o.message = trRunner("%1: no answer from the database (%2). It may or may not have been "
                             "applied; retrying it is safe, it will apply at most once.")
                        .arg(a->action.description,
                            a->lastError.isEmpty() ? trRunner("not connected") : a->lastError);
        finish(a, o);
    });
    a->deadline->start(int(m_retryWindow.count()));
    ++m_pending;
    logger()->info(
        "action {} ({}): starting", toLog(a->action.description), toLog(a->action.clientActionId));
    attempt(a);
}

void ActionRunner::runAll(const QList<PendingAction>& actions, QObject* context,
    std::function<void(const QList<ActionOutcome>&)> done)
{
    struct Batch {
        QList<PendingAction> actions;
        QList<ActionOutcome> outcomes;
        std::function<void(const QList<ActionOutcome>&)> done;
        std::function<void()> next;
    };
    auto batch = std::make_shared<Batch>();
    batch->actions = actions;
    batch->done = std::move(done);
    const QPointer<QObject> guard(context);
    const bool guarded = context != nullptr;
    std::weak_ptr<Batch> weak = batch;
    batch->next = [this, weak, guard, guarded] {
        const std::shared_ptr<Batch> b = weak.lock();
        if (!b)
            return;
        if (guarded && !guard) {
            b->next = nullptr;
            return;
        }
        if (b->outcomes.size() == b->actions.size()) {
            auto finished = std::move(b->done);
            const QList<ActionOutcome> outcomes = b->outcomes;
            b->next = nullptr; // breaks the cycle; `b` goes away after this
            if (finished)
                finished(outcomes);
            return;
        }
        run(b->actions.at(b->outcomes.size()), nullptr, [b](const ActionOutcome& o) {
            b->outcomes.append(o);
            if (b->next)
                b->next();
        });
    };
    batch->next();
}

void ActionRunner::attempt(const std::shared_ptr<Attempt>& a)
{
    if (a->finished)
        return;
    DatabaseWorker* primary = m_session ? m_session->primary() : nullptr;
    if (!primary) {
        ActionOutcome o;
        o.status
            = a->attempts > 0 ? ActionOutcome::Status::Unknown : ActionOutcome::Status::Refused;
        o.message = trRunner("%1: not connected to a quota database.").arg(a->action.description);
        finish(a, o);
        return;
    }
    if (!primary->state().isConnected()) {
        // Wait for the primary to come back, then send the same call again.
        if (!a->waiting) {
            a->lastError = primary->state().error;
            Q_EMIT progress(
                trRunner("%1: waiting for the database to reconnect…").arg(a->action.description));
            a->waiting = connect(
                primary, &DatabaseWorker::stateChanged, this, [this, a](const ConnectionState& s) {
                    if (!s.isConnected())
                        return;
                    disconnect(a->waiting);
                    a->waiting = {};
                    attempt(a);
                });
        }
        return;
    }
    const PendingAction action = a->action;
    primary->post<CallAnswer>(
        QString(), this,
        [action](QSqlDatabase& db) {
            CallAnswer answer;
            db::AdminActions actions(db);
            answer.result = action.call(actions, action.clientActionId);
            std::function<bool(QSqlDatabase&, const db::ActionResult&)> hook;
            {
                QMutexLocker locker(&g_hookMutex);
                hook = g_replyLossHook;
            }
            if (hook && hook(db, answer.result))
                answer.replyLost = true;
            if (!answer.result.ok && connectionFailure(answer.result.sqlState))
                answer.replyLost = true;
            return answer;
        },
        [this, a](const JobOutcome<CallAnswer>& o) {
            if (a->finished)
                return;
            if (o.ran())
                ++a->attempts; // the call was sent
            if (!o.ran() || o.connectionLost || o.value.replyLost) {
                // Not sent, or sent and the answer lost: the same id again once connected.
                a->lastError = o.ran()
                    ? (o.value.result.message.isEmpty() ? trRunner("the connection was lost")
                                                        : o.value.result.message)
                    : o.error;
                logger()->warn("action {} ({}): {} after attempt {}; retrying with the same "
                               "client action id",
                    toLog(a->action.description), toLog(a->action.clientActionId),
                    toLog(a->lastError), a->attempts);
                Q_EMIT progress(
                    trRunner("%1: the connection was lost; retrying…").arg(a->action.description));
                QTimer::singleShot(0, this, [this, a] { attempt(a); });
                return;
            }
            ActionOutcome out;
            out.result = o.value.result;
            out.status
                = out.result.ok ? ActionOutcome::Status::Applied : ActionOutcome::Status::Refused;
            if (out.result.ok)
                out.message = out.result.replayed
                    ? trRunner("%1: done (the first attempt had already been applied; not "
                               "applied twice).")
                          .arg(a->action.description)
                    : trRunner("%1: done.").arg(a->action.description);
            else
                out.message = describeRefusal(
                    out.result, m_session ? m_session->identity().account : QString());
            finish(a, out);
        });
}

void ActionRunner::finish(const std::shared_ptr<Attempt>& a, ActionOutcome outcome)
{
    if (a->finished)
        return;
    a->finished = true;
    --m_pending;
    if (a->waiting)
        disconnect(a->waiting);
    if (a->deadline) {
        a->deadline->stop();
        a->deadline->deleteLater();
        a->deadline = nullptr;
    }
    outcome.clientActionId = a->action.clientActionId;
    outcome.attempts = a->attempts;
    logger()->info("action {} ({}): {} after {} attempt(s){}", toLog(a->action.description),
        toLog(a->action.clientActionId),
        outcome.status == ActionOutcome::Status::Applied
            ? "applied"
            : (outcome.status == ActionOutcome::Status::Refused ? "refused" : "unknown"),
        a->attempts, outcome.result.replayed ? " (replayed)" : "");
    if (outcome.status != ActionOutcome::Status::Applied)
        logger()->warn("action {}: {}", toLog(a->action.description), toLog(outcome.message));
    if (a->guarded && !a->context)
        return;
    if (a->done)
        a->done(outcome);
}

} // namespace qc::services
