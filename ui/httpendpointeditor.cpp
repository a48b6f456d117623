#include "httpendpointeditor.h"

#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QToolButton>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::HttpAuthSettings;

namespace {

QWidget* withBrowse(QLineEdit* edit, QWidget* parent, const QString& title)
{
    auto* box = new QWidget(parent);
    auto* layout = new QHBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit, 1);
    edit->setAccessibleName(title); // the row's label names the box, not the field
    auto* browse = new QToolButton(box);
    browse->setText(HttpEndpointEditor::tr("Browse…"));
    QObject::connect(browse, &QToolButton::clicked, box, [edit, box, title] {
        const QString file = QFileDialog::getOpenFileName(box, title, edit->text(),
            HttpEndpointEditor::tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (!file.isEmpty())
            edit->setText(file);
    });
    layout->addWidget(browse);
    return box;
}

} // namespace

void showTestResult(QLabel* label, bool ok, const QString& message)
{
    // Colours chosen to stay readable on light and dark palettes.
    label->setText((ok ? u"✔ "_s : u"✘ "_s) + message);
    label->setStyleSheet(ok ? u"color: #2e9d46;"_s : u"color: #e0453a;"_s);
}

HttpEndpointEditor::HttpEndpointEditor(
    services::ConnectionTester* tester, services::ConnectionTester::HttpKind kind, QWidget* parent)
    : QWidget(parent)
    , m_tester(tester)
    , m_kind(kind)
    , m_url(new QLineEdit(this))
    , m_auth(new QComboBox(this))
    , m_user(new QLineEdit(this))
    , m_secret(new QLineEdit(this))
    , m_userLabel(new QLabel(tr("User:"), this))
    , m_secretLabel(new QLabel(tr("Password:"), this))
    , m_ca(new QLineEdit(this))
    , m_clientCert(new QLineEdit(this))
    , m_clientKey(new QLineEdit(this))
    , m_test(new QPushButton(tr("Test"), this))
    , m_result(new QLabel(this))
{
    using Kind = services::ConnectionTester::HttpKind;
    m_url->setObjectName(u"url"_s);
    m_url->setPlaceholderText(kind == Kind::Metrics
            ? u"https://gateway-1.example.org:9100/metrics"_s
            : kind == Kind::Prometheus ? u"http://prometheus.example.org:9090/"_s
                                       : u"http://alertmanager.example.org:9093/"_s);
    m_auth->addItem(tr("None"), int(HttpAuthSettings::Kind::None));
    m_auth->addItem(tr("Basic (user and password)"), int(HttpAuthSettings::Kind::Basic));
    m_auth->addItem(tr("Bearer token"), int(HttpAuthSettings::Kind::Bearer));
    m_secret->setEchoMode(QLineEdit::Password);
    m_secret->setObjectName(u"secret"_s);
    m_secret->setPlaceholderText(tr("kept in the system keychain"));
    m_ca->setPlaceholderText(tr("optional: PEM file of a private CA"));
    m_clientCert->setPlaceholderText(tr("optional: PEM certificate for mutual TLS"));
    m_clientKey->setPlaceholderText(tr("PEM private key of that certificate"));
    m_result->setWordWrap(true);
    m_result->setObjectName(u"testResult"_s);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->addRow(tr("URL:"), m_url);
    form->addRow(tr("Authentication:"), m_auth);
    m_userLabel->setBuddy(m_user);
    m_secretLabel->setBuddy(m_secret);
    form->addRow(m_userLabel, m_user);
    form->addRow(m_secretLabel, m_secret);
    form->addRow(tr("CA file:"), withBrowse(m_ca, this, tr("CA certificates")));
    form->addRow(
        tr("Client certificate:"), withBrowse(m_clientCert, this, tr("Client certificate")));
    form->addRow(tr("Client key:"), withBrowse(m_clientKey, this, tr("Client key")));
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(m_test);
    testRow->addWidget(m_result, 1);
    form->addRow(testRow);

    connect(m_auth, &QComboBox::currentIndexChanged, this, &HttpEndpointEditor::updateAuthFields);
    connect(m_test, &QPushButton::clicked, this, &HttpEndpointEditor::runTest);
    connect(m_tester, &services::ConnectionTester::httpTested, this,
        [this](quint64 id, const services::HttpCheck& check) {
            if (id != m_pending)
                return;
            m_pending = 0;
            m_test->setEnabled(true);
            showTestResult(m_result, check.ok(),
                check.ok() ? (check.detail.isEmpty() ? tr("Reachable.")
                                                     : tr("Reachable: %1").arg(check.detail))
                           : check.message);
        });
    updateAuthFields();
}

void HttpEndpointEditor::load(const services::HttpEndpoint& endpoint, const QString& secret)
{
    m_endpoint = endpoint;
    m_url->setText(endpoint.url.toString());
    m_auth->setCurrentIndex(m_auth->findData(int(endpoint.auth.kind)));
    m_user->setText(endpoint.auth.user);
    m_secret->setText(secret);
    m_ca->setText(endpoint.auth.caFile);
    m_clientCert->setText(endpoint.auth.clientCertificateFile);
    m_clientKey->setText(endpoint.auth.clientKeyFile);
    m_result->clear();
    updateAuthFields();
}

void HttpEndpointEditor::save(services::HttpEndpoint& endpoint, QString& secret) const
{
    endpoint.url = QUrl::fromUserInput(m_url->text().trimmed());
    if (m_url->text().trimmed().isEmpty())
        endpoint.url = QUrl();
    endpoint.auth.kind = HttpAuthSettings::Kind(m_auth->currentData().toInt());
    endpoint.auth.user = endpoint.auth.kind == HttpAuthSettings::Kind::Basic
        ? m_user->text().trimmed()
        : QString();
    endpoint.auth.caFile = m_ca->text().trimmed();
    endpoint.auth.clientCertificateFile = m_clientCert->text().trimmed();
    endpoint.auth.clientKeyFile = m_clientKey->text().trimmed();
    secret = endpoint.auth.needsSecret() ? m_secret->text() : QString();
}

bool HttpEndpointEditor::isSet() const
{
    return !m_url->text().trimmed().isEmpty();
}

QString HttpEndpointEditor::resultText() const
{
    return m_result->text();
}

void HttpEndpointEditor::updateAuthFields()
{
    const auto kind = HttpAuthSettings::Kind(m_auth->currentData().toInt());
    m_userLabel->setVisible(kind == HttpAuthSettings::Kind::Basic);
    m_user->setVisible(kind == HttpAuthSettings::Kind::Basic);
    m_secretLabel->setVisible(kind != HttpAuthSettings::Kind::None);
    m_secret->setVisible(kind != HttpAuthSettings::Kind::None);
    m_secretLabel->setText(kind == HttpAuthSettings::Kind::Bearer ? tr("Token:") : tr("Password:"));
}

void HttpEndpointEditor::runTest()
{
    services::HttpEndpoint e = m_endpoint;
    QString secret;
    save(e, secret);
    m_test->setEnabled(false);
    m_result->setText(tr("Testing…"));
    m_result->setStyleSheet({});
    m_pending = m_tester->testHttp(m_kind, e, secret);
}

} // namespace qc::ui
