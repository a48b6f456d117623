#pragma once

#include "db/adminactions.h"

#include <QDateTime>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QSqlDatabase>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace qc::services {

class Session;

/// One intended admin action: what it is (for messages) and the call of db::AdminActions that
/// makes it, given the client action id. Made once by prepare(); the same object (and so the
/// same id) is what a retry runs again, so that the action applies at most once.
struct PendingAction {
    QString clientActionId;
    QString description; // "Block 203.0.113.7", for messages and the log
    std::function<db::ActionResult(db::AdminActions&, const QString& clientActionId)> call;
};

/// How an action ended.
struct ActionOutcome {
    enum class Status {
        Applied, // done now (or earlier by a retry of the same id: result.replayed)
        Refused, // the database said no: role, conflict, bad input, not found
        Unknown, // the connection was lost and retrying did not get an answer in time
    };
    Status status = Status::Refused;
    db::ActionResult result;
    QString clientActionId;
    int attempts = 0; // calls that reached the database; more than one after a lost reply
    QString message; // for a person: what happened and what to do

    bool applied() const { return status == Status::Applied; }
};

/// Runs admin actions on the session's primary (docs/investigation.md "Acting"): each through
/// a db::AdminActions call with the client action id of its PendingAction. When the
/// connection drops during a call the reply is lost and the outcome unknown: the runner waits
/// for the primary to reconnect and sends the same call with the same id again; the database
/// then either applies it (it never arrived) or answers the first result with `replayed`
/// (it had committed). Either way it applies once.
class ActionRunner final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(ActionRunner)
public:
    explicit ActionRunner(Session* session, QObject* parent = nullptr);
    ~ActionRunner() override;

    /// A new intended action with a fresh client action id.
    static PendingAction prepare(const QString& description,
        std::function<db::ActionResult(db::AdminActions&, const QString& clientActionId)> call);

    /// Runs `action`; `done` is called on the GUI thread unless `context` died. Calling run()
    /// again with the same action (e.g. a "Retry" after Status::Unknown) reuses its id.
    void run(const PendingAction& action, QObject* context,
        std::function<void(const ActionOutcome&)> done);

    /// Runs several actions one after the other (each with its own id); `done` gets every
    /// outcome, in order.
    void runAll(const QList<PendingAction>& actions, QObject* context,
        std::function<void(const QList<ActionOutcome>&)> done);

    /// How long to keep retrying a call whose reply was lost (default 60 s).
    void setRetryWindow(std::chrono::milliseconds window) { m_retryWindow = window; }
    /// Actions still waiting for an answer.
    int pending() const { return m_pending; }

    /// Tests only: called in the worker thread right after each call; returning true treats
    /// the reply as lost (as if the connection had dropped after the commit). Global.
    static void setReplyLossHookForTests(
        std::function<bool(QSqlDatabase&, const db::ActionResult&)> hook);

Q_SIGNALS:
    /// A line for the status bar while an action waits ("Connection lost; retrying …").
    void progress(const QString& text);

private:
    struct Attempt;
    void attempt(const std::shared_ptr<Attempt>& a);
    void finish(const std::shared_ptr<Attempt>& a, ActionOutcome outcome);

    QPointer<Session> m_session;
    std::chrono::milliseconds m_retryWindow { 60000 };
    int m_pending = 0;
};

/// The sentence for a refused action ("Refused by the database: permission denied: block
/// requires role quota_operator, which vic does not have …"); `account` names who was refused.
QString describeRefusal(const db::ActionResult& result, const QString& account = {});

} // namespace qc::services

Q_DECLARE_METATYPE(qc::services::ActionOutcome)
