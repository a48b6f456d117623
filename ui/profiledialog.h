#pragma once

#include "services/connectionprofile.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QNetworkAccessManager;

namespace qc::db {
struct ConnectionCheck;
}

namespace qc::services {
class ConnectionTester;
}

namespace qc::ui {

class HttpEndpointEditor;

/// Edits one connection profile: name and environment, the database (and an optional
/// read-only replica), metrics endpoints, Prometheus and Alertmanager — each part with a
/// "Test" button giving a precise answer (DNS, refused, timeout, TLS, authentication, missing
/// role, schema too old → "Migrate…" when the account may). Secrets are edited here and go
/// to the keychain; the caller stores profile() and secrets().
class ProfileDialog final : public QDialog {
    Q_OBJECT
    Q_DISABLE_COPY(ProfileDialog)
public:
    ProfileDialog(const services::ConnectionProfile& profile,
        const services::ProfileSecrets& secrets, QNetworkAccessManager* network,
        QWidget* parent = nullptr);
    ~ProfileDialog() override;

    services::ConnectionProfile profile() const;
    services::ProfileSecrets secrets() const;

    void accept() override;

    /// For tests: the database test button and its result.
    QPushButton* databaseTestButton() const { return m_dbTest; }
    QPushButton* migrateButton() const { return m_migrate; }
    QString databaseResultText() const;

private:
    QWidget* buildGeneral();
    QWidget* buildDatabase();
    QWidget* buildMetrics();
    QWidget* buildHistory();
    void setColor(const QColor& color);
    void testDatabase(bool replica);
    void onDatabaseTested(quint64 id, const db::ConnectionCheck& check);
    void runMigration();
    void refreshEndpointTable();
    void editEndpoint(int row);

    services::ConnectionProfile m_profile;
    services::ProfileSecrets m_secrets;
    services::ConnectionTester* m_tester;

    QLineEdit* m_name = nullptr;
    QComboBox* m_environment = nullptr;
    QPushButton* m_color = nullptr;
    QColor m_colorValue;
    QSpinBox* m_scrapeInterval = nullptr;
    QLineEdit* m_db = nullptr;
    QLineEdit* m_dbPassword = nullptr;
    QPushButton* m_dbTest = nullptr;
    QLabel* m_dbResult = nullptr;
    QPushButton* m_migrate = nullptr;
    QLineEdit* m_replica = nullptr;
    QLineEdit* m_replicaPassword = nullptr;
    QPushButton* m_replicaTest = nullptr;
    QLabel* m_replicaResult = nullptr;
    QTableWidget* m_endpoints = nullptr;
    QList<services::HttpEndpoint> m_endpointList;
    HttpEndpointEditor* m_prometheus = nullptr;
    HttpEndpointEditor* m_alertmanager = nullptr;
    QLabel* m_error = nullptr;
    quint64 m_dbTestId = 0;
    quint64 m_replicaTestId = 0;
    quint64 m_migrateId = 0;
};

} // namespace qc::ui
