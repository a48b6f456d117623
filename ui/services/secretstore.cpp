#include "secretstore.h"

#include "services/logging.h"

#include <QCoreApplication>
#include <qt6keychain/keychain.h>

namespace qc::services {

using namespace Qt::StringLiterals;

struct SecretStore::Batch {
    QString profileId;
    QList<Step> steps;
    int next = 0;
    ProfileSecrets read;
    QString error;
    QPointer<QObject> context;
    bool hasContext = false;
    std::function<void(const Batch&)> done;
};

SecretStore::SecretStore(QString service, QObject* parent)
    : QObject(parent)
    , m_service(std::move(service))
{
}

SecretStore::~SecretStore() = default;

QString SecretStore::key(const ConnectionProfile& profile, const QString& slot)
{
    return profile.id + u'/' + slot;
}

void SecretStore::read(const ConnectionProfile& profile, QObject* context, ReadCallback done)
{
    auto batch = std::make_shared<Batch>();
    batch->profileId = profile.id;
    for (const QString& slot : secretSlots(profile))
        batch->steps.append({ Step::Kind::Read, slot, {} });
    batch->context = context;
    batch->hasContext = context != nullptr;
    batch->done = [done](const Batch& b) { done(b.read, b.error); };
    run(batch);
}

void SecretStore::write(const ConnectionProfile& profile, const ProfileSecrets& secrets,
    QObject* context, WriteCallback done)
{
    auto batch = std::make_shared<Batch>();
    batch->profileId = profile.id;
    for (auto it = secrets.values.cbegin(); it != secrets.values.cend(); ++it)
        batch->steps.append({ it.value().isEmpty() ? Step::Kind::Delete : Step::Kind::Write,
            it.key(), it.value() });
    batch->context = context;
    batch->hasContext = context != nullptr;
    batch->done = [done](const Batch& b) { done(b.error); };
    run(batch);
}

void SecretStore::removeAll(const ConnectionProfile& profile, QObject* context, WriteCallback done)
{
    auto batch = std::make_shared<Batch>();
    batch->profileId = profile.id;
    // Every slot the profile could ever have had, not only the current ones.
    QStringList slots { secretslot::database(), secretslot::replica(), secretslot::prometheus(),
        secretslot::alertmanager() };
    for (const HttpEndpoint& e : profile.metricsEndpoints)
        slots << secretslot::endpoint(e);
    for (const QString& slot : std::as_const(slots))
        batch->steps.append({ Step::Kind::Delete, slot, {} });
    batch->context = context;
    batch->hasContext = context != nullptr;
    batch->done = [done](const Batch& b) { done(b.error); };
    run(batch);
}

void SecretStore::run(std::shared_ptr<Batch> batch)
{
    if (batch->next >= batch->steps.size() || !batch->error.isEmpty()) {
        if (!batch->hasContext || batch->context)
            batch->done(*batch);
        return;
    }
    const Step step = batch->steps.at(batch->next++);
    const QString key = batch->profileId + u'/' + step.slot;
    QKeychain::Job* job = nullptr;
    switch (step.kind) {
    case Step::Kind::Read:
        job = new QKeychain::ReadPasswordJob(m_service, this);
        break;
    case Step::Kind::Write: {
        auto* write = new QKeychain::WritePasswordJob(m_service, this);
        write->setTextData(step.value);
        job = write;
    } break;
    case Step::Kind::Delete:
        job = new QKeychain::DeletePasswordJob(m_service, this);
        break;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, batch, step, key](QKeychain::Job* j) {
        const QKeychain::Error error = j->error();
        if (error == QKeychain::NoError) {
            if (step.kind == Step::Kind::Read)
                batch->read.setValue(
                    step.slot, static_cast<QKeychain::ReadPasswordJob*>(j)->textData());
        } else if (error == QKeychain::EntryNotFound) {
            // No secret in this slot (e.g. .pgpass holds the password): not an error.
        } else {
            batch->error = QCoreApplication::translate("qc::services::SecretStore",
                "the system keychain could not be used (%1); secrets are kept nowhere else "
                "(a desktop session with a Secret Service, e.g. gnome-keyring, provides one)")
                               .arg(j->errorString());
            // The key names a slot, never a secret.
            logger()->warn("keychain {} of {} failed: {}",
                step.kind == Step::Kind::Read ? "read" : "write", toLog(key),
                toLog(j->errorString()));
        }
        run(batch);
    });
    job->start();
}

} // namespace qc::services
