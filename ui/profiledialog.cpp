#include "profiledialog.h"

#include "services/connectiontester.h"
#include "ui/httpendpointeditor.h"

#include <QColorDialog>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QUuid>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::HttpAuthSettings;
using services::HttpEndpoint;
namespace slot = services::secretslot;

namespace {

QString authTitle(HttpAuthSettings::Kind kind)
{
    switch (kind) {
    case HttpAuthSettings::Kind::Basic:
        return ProfileDialog::tr("basic");
    case HttpAuthSettings::Kind::Bearer:
        return ProfileDialog::tr("bearer token");
    case HttpAuthSettings::Kind::None:
        break;
    }
    return ProfileDialog::tr("none");
}

// Hints in forms do not wrap (a wrapping label in a QFormLayout gets the height of its
// narrowest width); break long ones with '\n'.
QLabel* hint(const QString& text, QWidget* parent, bool wrap = false)
{
    auto* label = new QLabel(text, parent);
    label->setWordWrap(wrap);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont f = label->font();
    f.setPointSizeF(f.pointSizeF() * 0.92);
    label->setFont(f);
    label->setForegroundRole(QPalette::PlaceholderText);
    return label;
}

// A dialog for one metrics endpoint: a name and the endpoint editor.
class EndpointDialog final : public QDialog {
public:
    EndpointDialog(const HttpEndpoint& endpoint, const QString& secret,
        services::ConnectionTester* tester, QWidget* parent)
        : QDialog(parent)
        , m_endpoint(endpoint)
        , m_name(new QLineEdit(endpoint.name, this))
        , m_editor(
              new HttpEndpointEditor(tester, services::ConnectionTester::HttpKind::Metrics, this))
    {
        setWindowTitle(ProfileDialog::tr("Metrics endpoint"));
        m_name->setPlaceholderText(ProfileDialog::tr("e.g. gateway-1"));
        m_editor->load(endpoint, secret);
        auto* layout = new QVBoxLayout(this);
        auto* form = new QFormLayout;
        form->addRow(ProfileDialog::tr("Name:"), m_name);
        layout->addLayout(form);
        layout->addWidget(m_editor);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        layout->addWidget(buttons);
        resize(560, sizeHint().height());
    }

    HttpEndpoint endpoint(QString& secret) const
    {
        HttpEndpoint e = m_endpoint;
        m_editor->save(e, secret);
        e.name = m_name->text().trimmed();
        if (e.name.isEmpty())
            e.name = e.url.host();
        return e;
    }

private:
    HttpEndpoint m_endpoint;
    QLineEdit* m_name;
    HttpEndpointEditor* m_editor;
};

} // namespace

ProfileDialog::ProfileDialog(const services::ConnectionProfile& profile,
    const services::ProfileSecrets& secrets, QNetworkAccessManager* network, QWidget* parent)
    : QDialog(parent)
    , m_profile(profile)
    , m_secrets(secrets)
    , m_tester(new services::ConnectionTester(network, this))
    , m_error(new QLabel(this))
{
    setObjectName(u"profileDialog"_s);
    setWindowTitle(profile.name.isEmpty() ? tr("New connection profile")
                                          : tr("Connection profile %1").arg(profile.name));
    m_endpointList = profile.metricsEndpoints;
    auto* tabs = new QTabWidget(this);
    tabs->addTab(buildGeneral(), tr("General"));
    tabs->addTab(buildDatabase(), tr("Database"));
    tabs->addTab(buildMetrics(), tr("Metrics endpoints"));
    tabs->addTab(buildHistory(), tr("Prometheus && Alertmanager"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #e0453a;"_s);
    m_error->hide();

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &ProfileDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(tabs);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_tester, &services::ConnectionTester::databaseTested, this,
        &ProfileDialog::onDatabaseTested);
    connect(m_tester, &services::ConnectionTester::migrated, this,
        [this](quint64 id, const db::MigrationRun& run) {
            if (id != m_migrateId)
                return;
            m_migrateId = 0;
            m_migrate->setEnabled(true);
            if (!run.ok()) {
                showTestResult(m_dbResult, false, tr("Migration failed: %1").arg(run.error));
                return;
            }
            showTestResult(m_dbResult, true,
                tr("%n migration(s) applied; testing again…", nullptr, int(run.applied.size())));
            m_migrate->hide();
            testDatabase(false);
        });
    resize(680, 560);
}

ProfileDialog::~ProfileDialog() = default;

QWidget* ProfileDialog::buildGeneral()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    m_name = new QLineEdit(m_profile.name, page);
    m_name->setObjectName(u"profileName"_s);
    m_name->setPlaceholderText(tr("e.g. Production EU"));
    form->addRow(tr("Name:"), m_name);

    m_environment = new QComboBox(page);
    m_environment->setEditable(true);
    m_environment->setObjectName(u"environment"_s);
    for (const services::EnvironmentPreset& p : services::environmentPresets())
        m_environment->addItem(p.label);
    m_environment->setCurrentText(m_profile.environmentLabel);
    m_color = new QPushButton(page);
    m_color->setObjectName(u"environmentColor"_s);
    auto* envRow = new QHBoxLayout;
    envRow->addWidget(m_environment, 1);
    envRow->addWidget(m_color);
    form->addRow(tr("Environment:"), envRow);
    form->addRow(QString(),
        hint(tr("Shown in the window's header in its colour, so that production is never "
                "mistaken for staging."),
            page));
    setColor(m_profile.environmentColor.isValid()
            ? m_profile.environmentColor
            : services::defaultEnvironmentColor(m_profile.environmentLabel));
    connect(m_environment, &QComboBox::currentTextChanged, this, [this](const QString& label) {
        for (const services::EnvironmentPreset& p : services::environmentPresets()) {
            if (p.label.compare(label, Qt::CaseInsensitive) == 0)
                setColor(p.color);
        }
    });
    connect(m_color, &QPushButton::clicked, this, [this] {
        const QColor c = QColorDialog::getColor(m_colorValue, this, tr("Environment colour"));
        if (c.isValid())
            setColor(c);
    });

    m_scrapeInterval = new QSpinBox(page);
    m_scrapeInterval->setRange(1, 3600);
    m_scrapeInterval->setSuffix(tr(" s"));
    m_scrapeInterval->setValue(m_profile.scrapeIntervalSeconds);
    form->addRow(tr("Scrape interval:"), m_scrapeInterval);
    return page;
}

QWidget* ProfileDialog::buildDatabase()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);

    auto* primary = new QGroupBox(tr("Quota database (primary)"), page);
    auto* form = new QFormLayout(primary);
    m_db = new QLineEdit(m_profile.databaseConninfo, primary);
    m_db->setObjectName(u"databaseConninfo"_s);
    m_db->setPlaceholderText(u"postgresql://alice@db.example.org:5432/quota?sslmode=verify-full"_s);
    m_dbPassword = new QLineEdit(m_secrets.value(slot::database()), primary);
    m_dbPassword->setObjectName(u"databasePassword"_s);
    m_dbPassword->setEchoMode(QLineEdit::Password);
    m_dbPassword->setPlaceholderText(tr("empty: libpq's ~/.pgpass or PGPASSWORD"));
    m_dbTest = new QPushButton(tr("Test connection"), primary);
    m_dbTest->setObjectName(u"databaseTest"_s);
    m_dbResult = new QLabel(primary);
    m_dbResult->setObjectName(u"databaseResult"_s);
    m_dbResult->setWordWrap(true);
    m_dbResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_migrate = new QPushButton(tr("Migrate…"), primary);
    m_migrate->setObjectName(u"databaseMigrate"_s);
    m_migrate->hide();
    form->addRow(tr("Connection string:"), m_db);
    form->addRow(QString(),
        hint(tr("Any libpq form: a URI, host=… dbname=… user=…, or service=name from "
                "~/.pg_service.conf.\nTLS: sslmode=verify-full sslrootcert=/path/ca.pem."),
            primary));
    form->addRow(tr("Password:"), m_dbPassword);
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(m_dbTest, 0, Qt::AlignTop);
    testRow->addWidget(m_dbResult, 1);
    testRow->addWidget(m_migrate, 0, Qt::AlignTop);
    form->addRow(testRow);
    layout->addWidget(primary);

    auto* replica = new QGroupBox(tr("Read-only replica (optional)"), page);
    auto* rform = new QFormLayout(replica);
    m_replica = new QLineEdit(m_profile.replicaConninfo, replica);
    m_replica->setObjectName(u"replicaConninfo"_s);
    m_replica->setPlaceholderText(
        tr("dashboards and investigation read here; actions use the primary"));
    m_replicaPassword = new QLineEdit(m_secrets.value(slot::replica()), replica);
    m_replicaPassword->setEchoMode(QLineEdit::Password);
    m_replicaPassword->setPlaceholderText(tr("empty: libpq's ~/.pgpass or PGPASSWORD"));
    m_replicaTest = new QPushButton(tr("Test connection"), replica);
    m_replicaResult = new QLabel(replica);
    m_replicaResult->setWordWrap(true);
    m_replicaResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    rform->addRow(tr("Connection string:"), m_replica);
    rform->addRow(tr("Password:"), m_replicaPassword);
    auto* rtestRow = new QHBoxLayout;
    rtestRow->addWidget(m_replicaTest, 0, Qt::AlignTop);
    rtestRow->addWidget(m_replicaResult, 1);
    rform->addRow(rtestRow);
    layout->addWidget(replica);
    layout->addStretch(1);

    connect(m_dbTest, &QPushButton::clicked, this, [this] { testDatabase(false); });
    connect(m_replicaTest, &QPushButton::clicked, this, [this] { testDatabase(true); });
    connect(m_migrate, &QPushButton::clicked, this, &ProfileDialog::runMigration);
    return page;
}

QWidget* ProfileDialog::buildMetrics()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->addWidget(hint(tr("The quota services' /metrics pages (Prometheus text or "
                              "OpenMetrics). The dashboard scrapes them for live rates and "
                              "p95, summed across instances, and shows each one's health."),
        page, true));
    m_endpoints = new QTableWidget(0, 3, page);
    m_endpoints->setObjectName(u"metricsEndpoints"_s);
    m_endpoints->setHorizontalHeaderLabels({ tr("Name"), tr("URL"), tr("Authentication") });
    m_endpoints->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_endpoints->verticalHeader()->hide();
    m_endpoints->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_endpoints->setSelectionMode(QAbstractItemView::SingleSelection);
    m_endpoints->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(m_endpoints, 1);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add…"), page);
    auto* edit = new QPushButton(tr("Edit…"), page);
    auto* remove = new QPushButton(tr("Remove"), page);
    buttons->addWidget(add);
    buttons->addWidget(edit);
    buttons->addWidget(remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    connect(add, &QPushButton::clicked, this, [this] { editEndpoint(-1); });
    connect(edit, &QPushButton::clicked, this, [this] { editEndpoint(m_endpoints->currentRow()); });
    connect(m_endpoints, &QTableWidget::cellDoubleClicked, this,
        [this](int row, int) { editEndpoint(row); });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int row = m_endpoints->currentRow();
        if (row < 0 || row >= m_endpointList.size())
            return;
        m_secrets.setValue(slot::endpoint(m_endpointList.at(row)), QString());
        m_endpointList.removeAt(row);
        refreshEndpointTable();
    });
    refreshEndpointTable();
    return page;
}

QWidget* ProfileDialog::buildHistory()
{
    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    auto* prometheus = new QGroupBox(tr("Prometheus (optional: metrics history)"), page);
    auto* pl = new QVBoxLayout(prometheus);
    m_prometheus = new HttpEndpointEditor(
        m_tester, services::ConnectionTester::HttpKind::Prometheus, prometheus);
    m_prometheus->load(m_profile.prometheus, m_secrets.value(slot::prometheus()));
    pl->addWidget(m_prometheus);
    layout->addWidget(prometheus);
    auto* alertmanager = new QGroupBox(tr("Alertmanager (optional: alerts and silences)"), page);
    auto* al = new QVBoxLayout(alertmanager);
    m_alertmanager = new HttpEndpointEditor(
        m_tester, services::ConnectionTester::HttpKind::Alertmanager, alertmanager);
    m_alertmanager->load(m_profile.alertmanager, m_secrets.value(slot::alertmanager()));
    al->addWidget(m_alertmanager);
    layout->addWidget(alertmanager);
    layout->addStretch(1);
    return page;
}

void ProfileDialog::setColor(const QColor& color)
{
    m_colorValue = color;
    m_color->setText(color.name());
    m_color->setStyleSheet(u"background-color: %1; color: %2; padding: 3px 10px;"_s.arg(
        color.name(), services::readableTextColor(color).name()));
}

void ProfileDialog::refreshEndpointTable()
{
    m_endpoints->setRowCount(int(m_endpointList.size()));
    for (int i = 0; i < m_endpointList.size(); ++i) {
        const HttpEndpoint& e = m_endpointList.at(i);
        m_endpoints->setItem(i, 0, new QTableWidgetItem(e.name));
        m_endpoints->setItem(i, 1, new QTableWidgetItem(e.url.toDisplayString()));
        m_endpoints->setItem(i, 2, new QTableWidgetItem(authTitle(e.auth.kind)));
    }
}

void ProfileDialog::editEndpoint(int row)
{
    HttpEndpoint e;
    if (row >= 0 && row < m_endpointList.size())
        e = m_endpointList.at(row);
    else
        e.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    EndpointDialog dialog(e, m_secrets.value(slot::endpoint(e)), m_tester, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString secret;
    const HttpEndpoint edited = dialog.endpoint(secret);
    if (!edited.isSet())
        return;
    m_secrets.setValue(slot::endpoint(edited), secret);
    if (row >= 0 && row < m_endpointList.size())
        m_endpointList[row] = edited;
    else
        m_endpointList << edited;
    refreshEndpointTable();
}

void ProfileDialog::testDatabase(bool replica)
{
    QLineEdit* conninfo = replica ? m_replica : m_db;
    QLineEdit* password = replica ? m_replicaPassword : m_dbPassword;
    QLabel* result = replica ? m_replicaResult : m_dbResult;
    QString embedded;
    const QString clean = services::withoutPassword(conninfo->text().trimmed(), &embedded);
    if (!embedded.isEmpty()) {
        // Never keep a password in the settings file: move it to the password field.
        conninfo->setText(clean);
        if (password->text().isEmpty())
            password->setText(embedded);
    }
    result->setText(tr("Testing…"));
    result->setStyleSheet({});
    if (!replica)
        m_migrate->hide();
    const quint64 id = m_tester->testDatabase(clean, password->text());
    (replica ? m_replicaTestId : m_dbTestId) = id;
    (replica ? m_replicaTest : m_dbTest)->setEnabled(false);
}

void ProfileDialog::onDatabaseTested(quint64 id, const db::ConnectionCheck& check)
{
    const bool replica = id == m_replicaTestId;
    if (!replica && id != m_dbTestId)
        return;
    (replica ? m_replicaTestId : m_dbTestId) = 0;
    (replica ? m_replicaTest : m_dbTest)->setEnabled(true);
    QLabel* result = replica ? m_replicaResult : m_dbResult;
    if (check.ok()) {
        const db::ConnectionIdentity& who = check.identity;
        showTestResult(result, true,
            tr("Connected as %1 (%2) to %3, PostgreSQL %4; schema up to date%5.")
                .arg(who.account, db::quotaRoleName(who.role), who.database, who.serverVersion,
                    who.inRecovery ? tr("; a read-only standby") : QString()));
        return;
    }
    showTestResult(result, false, check.message);
    const bool migratable = check.problem == db::ConnectionProblem::SchemaMissing
        || check.problem == db::ConnectionProblem::SchemaTooOld;
    if (!replica && migratable && check.identity.canMigrate)
        m_migrate->show();
}

void ProfileDialog::runMigration()
{
    const auto answer = QMessageBox::question(this, tr("Migrate the quota database"),
        tr("Apply the pending schema migrations to this database now? Each migration runs in "
           "its own transaction and is recorded in quota.schema_migrations."),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    m_migrate->setEnabled(false);
    m_dbResult->setText(tr("Migrating…"));
    m_dbResult->setStyleSheet({});
    m_migrateId = m_tester->migrate(m_db->text().trimmed(), m_dbPassword->text());
}

services::ConnectionProfile ProfileDialog::profile() const
{
    services::ConnectionProfile p = m_profile;
    p.name = m_name->text().trimmed();
    p.environmentLabel = m_environment->currentText().trimmed().toUpper();
    p.environmentColor = m_colorValue;
    p.scrapeIntervalSeconds = m_scrapeInterval->value();
    p.setDatabaseConninfo(m_db->text().trimmed());
    p.setReplicaConninfo(m_replica->text().trimmed());
    p.metricsEndpoints = m_endpointList;
    QString ignored;
    m_prometheus->save(p.prometheus, ignored);
    m_alertmanager->save(p.alertmanager, ignored);
    if (p.prometheus.id.isEmpty())
        p.prometheus.id = u"prometheus"_s;
    if (p.alertmanager.id.isEmpty())
        p.alertmanager.id = u"alertmanager"_s;
    return p;
}

services::ProfileSecrets ProfileDialog::secrets() const
{
    services::ProfileSecrets s = m_secrets;
    QString dbPassword = m_dbPassword->text();
    QString embedded;
    services::withoutPassword(m_db->text().trimmed(), &embedded);
    if (dbPassword.isEmpty())
        dbPassword = embedded;
    s.setValue(slot::database(), dbPassword);
    QString replicaPassword = m_replicaPassword->text();
    services::withoutPassword(m_replica->text().trimmed(), &embedded);
    if (replicaPassword.isEmpty())
        replicaPassword = embedded;
    s.setValue(slot::replica(), replicaPassword);
    services::HttpEndpoint scratch;
    QString secret;
    m_prometheus->save(scratch, secret);
    s.setValue(slot::prometheus(), secret);
    m_alertmanager->save(scratch, secret);
    s.setValue(slot::alertmanager(), secret);
    return s;
}

QString ProfileDialog::databaseResultText() const
{
    return m_dbResult->text();
}

void ProfileDialog::accept()
{
    const QString error = profile().validate();
    if (!error.isEmpty()) {
        m_error->setText(error);
        m_error->show();
        return;
    }
    QDialog::accept();
}

} // namespace qc::ui
