#pragma once

#include "services/connectionprofile.h"
#include "services/connectiontester.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace qc::ui {

/// Edits one HTTP endpoint of a profile — URL, authentication (none / basic / bearer), CA
/// file, client certificate — with a "Test" button that fetches it the way the console will.
class HttpEndpointEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(HttpEndpointEditor)
public:
    HttpEndpointEditor(services::ConnectionTester* tester,
        services::ConnectionTester::HttpKind kind, QWidget* parent = nullptr);

    void load(const services::HttpEndpoint& endpoint, const QString& secret);
    /// Writes the fields into `endpoint` (keeping its id and name) and the secret.
    void save(services::HttpEndpoint& endpoint, QString& secret) const;
    /// Whether a URL is entered (optional endpoints may stay empty).
    bool isSet() const;

    /// The last test's result as shown (for tests).
    QString resultText() const;
    QPushButton* testButton() const { return m_test; }

private:
    void updateAuthFields();
    void runTest();

    services::ConnectionTester* m_tester;
    services::ConnectionTester::HttpKind m_kind;
    services::HttpEndpoint m_endpoint;
    QLineEdit* m_url;
    QComboBox* m_auth;
    QLineEdit* m_user;
    QLineEdit* m_secret;
    QLabel* m_userLabel;
    QLabel* m_secretLabel;
    QLineEdit* m_ca;
    QLineEdit* m_clientCert;
    QLineEdit* m_clientKey;
    QPushButton* m_test;
    QLabel* m_result;
    quint64 m_pending = 0;
};

/// Shows a test's outcome in `label`: green tick or red cross and the message.
void showTestResult(QLabel* label, bool ok, const QString& message);

} // namespace qc::ui
