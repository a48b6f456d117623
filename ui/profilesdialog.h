#pragma once

#include <QDialog>

class QLabel;
class QListView;
class QNetworkAccessManager;
class QPushButton;

namespace qc::models {
class ProfileListModel;
}

namespace qc::services {
class SecretStore;
class SettingsStore;
struct ConnectionProfile;
struct ProfileSecrets;
} // namespace qc::services

namespace qc::ui {

/// File → Manage profiles: the list of connection profiles with New, Edit, Duplicate, Delete
/// and Connect. Profiles go to the settings file, their secrets to the keychain.
class ProfilesDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(ProfilesDialog)
public:
    ProfilesDialog(services::SettingsStore* settings, services::SecretStore* secrets,
        QNetworkAccessManager* network, QWidget* parent = nullptr);

    /// Opens the editor for a new profile right away (File → New profile).
    void createProfile();

Q_SIGNALS:
    void connectRequested(const QString& profileId);

private:
    void reload();
    QString currentId() const;
    void edit(const services::ConnectionProfile& profile, const services::ProfileSecrets& secrets,
        bool isNew);
    void editCurrent();
    void duplicateCurrent();
    void deleteCurrent();
    void updateButtons();

    services::SettingsStore* m_settings;
    services::SecretStore* m_secretStore;
    QNetworkAccessManager* m_network;
    models::ProfileListModel* m_model;
    QListView* m_list;
    QPushButton* m_edit;
    QPushButton* m_duplicate;
    QPushButton* m_delete;
    QPushButton* m_connect;
    QLabel* m_status;
};

} // namespace qc::ui
