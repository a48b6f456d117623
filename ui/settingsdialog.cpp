#include "settingsdialog.h"

#include "services/localization.h"
#include "services/logging.h"
#include "services/settingsstore.h"
#include "ui/appearance.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QStandardPaths>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::Preferences;

namespace {

constexpr int kMinRefresh = 2;
constexpr int kMaxRefresh = 3600;

void selectData(QComboBox* box, const QVariant& value)
{
    const int i = box->findData(value);
    box->setCurrentIndex(i < 0 ? 0 : i);
}

} // namespace

SettingsDialog::SettingsDialog(services::SettingsStore* store, QWidget* parent)
    : QDialog(parent)
    , m_store(store)
    , m_language(new QComboBox(this))
    , m_languageNote(new QLabel(this))
    , m_theme(new QComboBox(this))
    , m_timeZone(new QComboBox(this))
    , m_refresh(new QSpinBox(this))
    , m_scrape(new QSpinBox(this))
    , m_tray(new QCheckBox(tr("Show a tray &notification when an alert fires"), this))
    , m_severity(new QComboBox(this))
    , m_logLevel(new QComboBox(this))
    , m_dataDirectory(new QLineEdit(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Settings"));
    setObjectName(u"settingsDialog"_s);

    m_language->setObjectName(u"language"_s);
    m_language->addItem(
        tr("System default (%1)").arg(services::nativeLanguageName(QLocale::system().name())),
        QString());
    for (const QString& code : Preferences::availableLanguages())
        m_language->addItem(services::nativeLanguageName(code), code);
    m_languageNote->setObjectName(u"languageNote"_s);
    m_languageNote->setWordWrap(true);
    m_languageNote->setText(tr("A new language applies when the console is started again."));
    m_languageNote->setVisible(false);
    connect(m_language, &QComboBox::currentIndexChanged, this, [this] {
        m_languageNote->setVisible(m_language->currentData().toString() != m_loaded.language);
    });

    m_theme->setObjectName(u"theme"_s);
    m_theme->addItem(tr("System"), Preferences::themeName(Preferences::Theme::System));
    m_theme->addItem(tr("Light"), Preferences::themeName(Preferences::Theme::Light));
    m_theme->addItem(tr("Dark"), Preferences::themeName(Preferences::Theme::Dark));

    m_timeZone->setObjectName(u"timeZone"_s);
    m_timeZone->addItem(
        tr("Local time (%1)").arg(QDateTime::currentDateTime().timeZoneAbbreviation()), u"local"_s);
    m_timeZone->addItem(tr("UTC"), u"utc"_s);

    m_refresh->setObjectName(u"dashboardRefresh"_s);
    m_refresh->setRange(kMinRefresh, kMaxRefresh);
    m_refresh->setSuffix(tr(" s"));
    m_scrape->setObjectName(u"metricsScrape"_s);
    m_scrape->setRange(0, Preferences::kMaxScrapeSeconds);
    m_scrape->setSuffix(tr(" s"));
    m_scrape->setSpecialValueText(tr("Each profile's own interval"));
    m_scrape->setToolTip(tr("Applies from the next connection."));

    m_tray->setObjectName(u"trayNotifications"_s);
    m_severity->setObjectName(u"minimumSeverity"_s);
    m_severity->addItem(
        tr("Info and above"), Preferences::severityName(Preferences::Severity::Info));
    m_severity->addItem(
        tr("Warning and above"), Preferences::severityName(Preferences::Severity::Warning));
    m_severity->addItem(
        tr("Critical only"), Preferences::severityName(Preferences::Severity::Critical));
    connect(m_tray, &QCheckBox::toggled, m_severity, &QWidget::setEnabled);

    m_logLevel->setObjectName(u"logLevel"_s);
    const std::pair<QString, QString> levels[] = {
        { u"trace"_s, tr("Trace (everything)") },
        { u"debug"_s, tr("Debug") },
        { u"info"_s, tr("Info") },
        { u"warn"_s, tr("Warnings") },
        { u"error"_s, tr("Errors") },
        { u"critical"_s, tr("Critical errors") },
        { u"off"_s, tr("Off") },
    };
    for (const auto& [name, text] : levels)
        m_logLevel->addItem(text, name);

    m_dataDirectory->setObjectName(u"dataDirectory"_s);
    m_dataDirectory->setPlaceholderText(QDir::toNativeSeparators(
        QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)));
    m_dataDirectory->setClearButtonEnabled(true);
    auto* browse = new QPushButton(tr("&Browse…"), this);
    browse->setObjectName(u"browseDataDirectory"_s);
    browse->setAccessibleName(tr("Choose the data directory"));
    connect(browse, &QPushButton::clicked, this, &SettingsDialog::browseDataDirectory);
    auto* dataRow = new QHBoxLayout;
    dataRow->addWidget(m_dataDirectory, 1);
    dataRow->addWidget(browse);

    auto* appearance = new QGroupBox(tr("Appearance"), this);
    auto* appearanceForm = new QFormLayout(appearance);
    appearanceForm->addRow(tr("&Language:"), m_language);
    appearanceForm->addRow(QString(), m_languageNote);
    appearanceForm->addRow(tr("&Theme:"), m_theme);
    appearanceForm->addRow(tr("Show &times in:"), m_timeZone);

    auto* refresh = new QGroupBox(tr("Refresh"), this);
    auto* refreshForm = new QFormLayout(refresh);
    refreshForm->addRow(tr("&Dashboard refresh:"), m_refresh);
    refreshForm->addRow(tr("&Metrics scrape:"), m_scrape);

    auto* notifications = new QGroupBox(tr("Notifications"), this);
    auto* notificationForm = new QFormLayout(notifications);
    notificationForm->addRow(m_tray);
    notificationForm->addRow(tr("Minimum &severity:"), m_severity);

    auto* files = new QGroupBox(tr("Logs and data"), this);
    auto* filesForm = new QFormLayout(files);
    filesForm->addRow(tr("Log l&evel:"), m_logLevel);
    // A row of a line edit and a button: the label needs its buddy set by hand.
    auto* dataLabel = new QLabel(tr("Data di&rectory:"), files);
    dataLabel->setBuddy(m_dataDirectory);
    filesForm->addRow(dataLabel, dataRow);
    auto* dataNote = new QLabel(
        tr("Logs and the demo are kept here. Empty: the default directory shown."), this);
    dataNote->setWordWrap(true);
    filesForm->addRow(QString(), dataNote);

    m_error->setObjectName(u"settingsError"_s);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(u"color: #e0453a;"_s);
    m_error->setVisible(false);

    auto* buttons = new QDialogButtonBox(
        QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(
        buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, [this] { apply(); });

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(appearance);
    layout->addWidget(refresh);
    layout->addWidget(notifications);
    layout->addWidget(files);
    layout->addWidget(m_error);
    layout->addStretch(1);
    layout->addWidget(buttons);

    load(store->settings().preferences, store->settings().dashboard.refreshSeconds);
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::load(const Preferences& p, int refreshSeconds)
{
    m_loaded = p;
    selectData(m_language, p.language);
    selectData(m_theme, Preferences::themeName(p.theme));
    selectData(m_timeZone, p.timeZone == Preferences::TimeZone::Utc ? u"utc"_s : u"local"_s);
    m_refresh->setValue(refreshSeconds);
    m_scrape->setValue(p.metricsScrapeSeconds);
    m_tray->setChecked(p.trayNotifications);
    m_severity->setEnabled(p.trayNotifications);
    selectData(m_severity, Preferences::severityName(p.minimumSeverity));
    selectData(m_logLevel, p.logLevel);
    m_dataDirectory->setText(QDir::toNativeSeparators(p.dataDirectory));
    m_languageNote->setVisible(false);
}

Preferences SettingsDialog::preferences() const
{
    Preferences p = m_loaded;
    p.language = m_language->currentData().toString();
    p.theme = Preferences::themeFromName(m_theme->currentData().toString()).value_or(p.theme);
    p.timeZone = m_timeZone->currentData().toString() == u"utc" ? Preferences::TimeZone::Utc
                                                                : Preferences::TimeZone::Local;
    p.metricsScrapeSeconds = m_scrape->value();
    p.trayNotifications = m_tray->isChecked();
    p.minimumSeverity = Preferences::severityFromName(m_severity->currentData().toString())
                            .value_or(p.minimumSeverity);
    p.logLevel = m_logLevel->currentData().toString();
    p.dataDirectory = QDir::fromNativeSeparators(m_dataDirectory->text().trimmed());
    return p;
}

int SettingsDialog::dashboardRefreshSeconds() const
{
    return m_refresh->value();
}

QStringList SettingsDialog::apply()
{
    const Preferences next = preferences();
    QStringList errors = next.validate();
    if (errors.isEmpty()) {
        const Preferences before = m_store->settings().preferences;
        const int refresh = dashboardRefreshSeconds();
        const QString saveError = m_store->update([&](services::ConsoleSettings& s) {
            // The splitters may have moved while the dialog was open.
            Preferences stored = next;
            stored.splitterStates = s.preferences.splitterStates;
            s.preferences = stored;
            s.dashboard.refreshSeconds = refresh;
        });
        if (!saveError.isEmpty())
            errors << tr("The settings apply now but could not be saved: %1.").arg(saveError);
        applyPreferences(m_store->settings().preferences, &before);
        m_loaded = m_store->settings().preferences;
        services::logger()->info("settings applied: theme {}, times in {}, log level {}",
            services::toLog(Preferences::themeName(next.theme)),
            services::toLog(
                next.timeZone == Preferences::TimeZone::Utc ? u"UTC"_s : u"local time"_s),
            services::toLog(next.logLevel));
    }
    m_error->setText(errors.join(u'\n'));
    m_error->setVisible(!errors.isEmpty());
    return errors;
}

QString SettingsDialog::errorText() const
{
    return m_error->isVisible() ? m_error->text() : QString();
}

void SettingsDialog::accept()
{
    if (apply().isEmpty())
        QDialog::accept();
}

void SettingsDialog::browseDataDirectory()
{
    const QString start = m_dataDirectory->text().isEmpty() ? m_dataDirectory->placeholderText()
                                                            : m_dataDirectory->text();
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Data directory"), start);
    if (!dir.isEmpty())
        m_dataDirectory->setText(QDir::toNativeSeparators(dir));
}

} // namespace qc::ui
