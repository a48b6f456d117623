#pragma once

#include "services/connectionprofile.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>

namespace qc::services {

/// The OS keychain (Secret Service on Linux, Keychain on macOS, Credential Manager on Windows)
/// through QtKeychain: the only place passwords, tokens and basic-auth secrets are kept. Never
/// falls back to a plain file. All calls are asynchronous; callbacks run on the caller's
/// thread and are skipped when `context` is destroyed first.
class SecretStore final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(SecretStore)
public:
    /// `service` names the application's entries in the keychain.
    explicit SecretStore(
        QString service = QStringLiteral("quota-console"), QObject* parent = nullptr);
    ~SecretStore() override;

    /// Reads every secret slot of `profile`. Slots without an entry are left out; `error` is
    /// set when the keychain could not be asked (no backend, locked, access denied).
    using ReadCallback = std::function<void(const ProfileSecrets& secrets, const QString& error)>;
    void read(const ConnectionProfile& profile, QObject* context, ReadCallback done);

    /// Writes the slots present in `secrets`; an empty value deletes that slot's entry.
    using WriteCallback = std::function<void(const QString& error)>;
    void write(const ConnectionProfile& profile, const ProfileSecrets& secrets, QObject* context,
        WriteCallback done);

    /// Deletes every entry of `profile` (when the profile is deleted).
    void removeAll(const ConnectionProfile& profile, QObject* context, WriteCallback done);

    /// The keychain key of one slot: "<profile id>/<slot>".
    static QString key(const ConnectionProfile& profile, const QString& slot);

private:
    struct Step {
        enum class Kind { Read, Write, Delete } kind;
        QString slot;
        QString value;
    };
    struct Batch;
    void run(std::shared_ptr<Batch> batch);

    QString m_service;
};

} // namespace qc::services
