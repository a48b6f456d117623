#include "simulationsourcewidget.h"

#include "policy/policyjson.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QTimeZone>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qc::ui {

namespace {

const QString kTimeFormat = u"yyyy-MM-dd HH:mm"_s;

// A label that names `field` for screen readers too.
QLabel* buddyLabel(const QString& text, QWidget* field, QWidget* parent)
{
    auto* label = new QLabel(text, parent);
    label->setBuddy(field);
    field->setAccessibleName(text);
    return label;
}

QDateTimeEdit* timeEdit(QWidget* parent)
{
    auto* edit = new QDateTimeEdit(parent);
    edit->setTimeSpec(Qt::UTC);
    edit->setDisplayFormat(kTimeFormat % u" 'UTC'"_s);
    edit->setCalendarPopup(true);
    return edit;
}

QDateTime utc(enforcement::TimeMs ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

} // namespace

SimulationSourceWidget::SimulationSourceWidget(QWidget* parent)
    : QWidget(parent)
    , m_database(new QRadioButton(tr("Database request_logs"), this))
    , m_file(new QRadioButton(tr("Trace file"), this))
    , m_generated(new QRadioButton(tr("Generated scenario"), this))
    , m_stack(new QStackedWidget(this))
    , m_databaseLabel(new QLabel(this))
    , m_from(timeEdit(this))
    , m_to(timeEdit(this))
    , m_path(new QLineEdit(this))
    , m_genStart(timeEdit(this))
    , m_genDuration(new QLineEdit(u"1h"_s, this))
    , m_seed(new QSpinBox(this))
    , m_users(new QSpinBox(this))
    , m_ips(new QSpinBox(this))
    , m_rate(new QDoubleSpinBox(this))
    , m_warmup(new QLineEdit(this))
    , m_problem(new QLabel(this))
{
    m_database->setObjectName(u"sourceDatabase"_s);
    m_file->setObjectName(u"sourceFile"_s);
    m_generated->setObjectName(u"sourceGenerated"_s);
    m_from->setObjectName(u"sourceFrom"_s);
    m_to->setObjectName(u"sourceTo"_s);
    m_path->setObjectName(u"sourcePath"_s);
    m_path->setAccessibleName(tr("Trace file"));
    m_database->setToolTip(tr("Replay what the API received, with the blocks and plans in force "
                              "at each request, and compare the baseline with what was decided "
                              "live (fidelity)"));
    auto* group = new QButtonGroup(this);
    group->addButton(m_database);
    group->addButton(m_file);
    group->addButton(m_generated);
    auto* kinds = new QHBoxLayout;
    kinds->addWidget(m_database);
    kinds->addWidget(m_file);
    kinds->addWidget(m_generated);
    kinds->addStretch(1);

    // Database range.
    auto* dbPage = new QWidget(m_stack);
    auto* dbForm = new QFormLayout(dbPage);
    dbForm->setContentsMargins(0, 0, 0, 0);
    dbForm->addRow(m_databaseLabel);
    dbForm->addRow(tr("From"), m_from);
    dbForm->addRow(tr("To"), m_to);
    auto* quick = new QHBoxLayout;
    for (const auto& [text, span] : { std::pair { tr("Last hour"), enforcement::kHour },
             std::pair { tr("Last day"), enforcement::kDay },
             std::pair { tr("Last 7 days"), 7 * enforcement::kDay } }) {
        auto* button = new QPushButton(text, dbPage);
        button->setFlat(true);
        connect(button, &QPushButton::clicked, this,
            [this, span = span] { setRecentRange(QDateTime::currentDateTimeUtc(), span); });
        quick->addWidget(button);
    }
    quick->addStretch(1);
    dbForm->addRow(QString(), quick);
    m_stack->addWidget(dbPage);

    // File.
    auto* filePage = new QWidget(m_stack);
    auto* fileRow = new QHBoxLayout(filePage);
    fileRow->setContentsMargins(0, 0, 0, 0);
    m_path->setPlaceholderText(tr("trace.csv or trace.jsonl (the columns of request_logs)"));
    auto* browse = new QPushButton(tr("Browse…"), filePage);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Trace to replay"),
            QFileInfo(m_path->text()).absolutePath(),
            tr("Traces (*.csv *.jsonl *.ndjson);;All files (*)"));
        if (!path.isEmpty()) {
            m_path->setText(path);
            Q_EMIT changed();
        }
    });
    fileRow->addWidget(m_path, 1);
    fileRow->addWidget(browse);
    m_stack->addWidget(filePage);

    // Generated.
    auto* genPage = new QWidget(m_stack);
    auto* genForm = new QGridLayout(genPage);
    genForm->setContentsMargins(0, 0, 0, 0);
    m_seed->setRange(0, 1 << 30);
    m_seed->setValue(1);
    m_users->setRange(1, 10000000);
    m_users->setValue(5000);
    m_ips->setRange(1, 10000000);
    m_ips->setValue(20000);
    m_rate->setRange(0.1, 1000000);
    m_rate->setValue(50);
    m_rate->setSuffix(tr(" req/s"));
    m_genStart->setDateTime(utc(trace::GeneratorOptions {}.startMs));
    genForm->addWidget(buddyLabel(tr("Start"), m_genStart, genPage), 0, 0);
    genForm->addWidget(m_genStart, 0, 1);
    genForm->addWidget(buddyLabel(tr("Length"), m_genDuration, genPage), 0, 2);
    genForm->addWidget(m_genDuration, 0, 3);
    genForm->addWidget(buddyLabel(tr("Users"), m_users, genPage), 1, 0);
    genForm->addWidget(m_users, 1, 1);
    genForm->addWidget(buddyLabel(tr("IPs"), m_ips, genPage), 1, 2);
    genForm->addWidget(m_ips, 1, 3);
    genForm->addWidget(buddyLabel(tr("Rate"), m_rate, genPage), 2, 0);
    genForm->addWidget(m_rate, 2, 1);
    genForm->addWidget(buddyLabel(tr("Seed"), m_seed, genPage), 2, 2);
    genForm->addWidget(m_seed, 2, 3);
    auto* scenarioRow = new QHBoxLayout;
    for (const trace::ScenarioKind kind : { trace::ScenarioKind::Normal,
             trace::ScenarioKind::BotBurst, trace::ScenarioKind::BuggyClient,
             trace::ScenarioKind::CostSpike, trace::ScenarioKind::PlanChange }) {
        auto* box = new QCheckBox(trace::scenarioName(kind), genPage);
        box->setProperty("scenario", static_cast<int>(kind));
        box->setChecked(
            kind == trace::ScenarioKind::Normal || kind == trace::ScenarioKind::BotBurst);
        connect(box, &QCheckBox::toggled, this, &SimulationSourceWidget::changed);
        m_scenarios.push_back(box);
        scenarioRow->addWidget(box);
    }
    scenarioRow->addStretch(1);
    genForm->addLayout(scenarioRow, 3, 0, 1, 4);
    m_stack->addWidget(genPage);

    auto* warmupRow = new QHBoxLayout;
    m_warmup->setPlaceholderText(u"0s"_s);
    m_warmup->setMaximumWidth(100);
    m_warmup->setToolTip(tr("Decided first to fill counters and blocks, not reported (e.g. 1h); "
                            "from the database it is read before From"));
    warmupRow->addWidget(buddyLabel(tr("Warm-up"), m_warmup, this));
    warmupRow->addWidget(m_warmup);
    warmupRow->addStretch(1);

    m_problem->setStyleSheet(u"color: #b3261e;"_s);
    m_problem->setWordWrap(true);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(kinds);
    layout->addWidget(m_stack);
    layout->addLayout(warmupRow);
    layout->addWidget(m_problem);

    for (QRadioButton* b : { m_database, m_file, m_generated })
        connect(b, &QRadioButton::toggled, this, &SimulationSourceWidget::kindChanged);
    for (QDateTimeEdit* e : { m_from, m_to, m_genStart })
        connect(e, &QDateTimeEdit::dateTimeChanged, this, &SimulationSourceWidget::changed);
    for (QLineEdit* e : { m_path, m_genDuration, m_warmup })
        connect(e, &QLineEdit::textChanged, this, &SimulationSourceWidget::changed);
    for (QSpinBox* s : { m_seed, m_users, m_ips })
        connect(s, &QSpinBox::valueChanged, this, &SimulationSourceWidget::changed);
    connect(m_rate, &QDoubleSpinBox::valueChanged, this, &SimulationSourceWidget::changed);
    connect(
        this, &SimulationSourceWidget::changed, this, [this] { m_problem->setText(problem()); });

    setRecentRange(QDateTime::currentDateTimeUtc(), enforcement::kDay);
    m_generated->setChecked(true);
    setDatabaseAvailable(false);
}

void SimulationSourceWidget::kindChanged()
{
    m_stack->setCurrentIndex(m_database->isChecked() ? 0 : m_file->isChecked() ? 1 : 2);
    Q_EMIT changed();
}

void SimulationSourceWidget::setDatabaseAvailable(bool available, const QString& label)
{
    const bool first = available && !m_databaseAvailable;
    m_databaseAvailable = available;
    m_database->setEnabled(available);
    m_databaseLabel->setText(available ? tr("Requests logged on %1, replayed with the blocks and "
                                            "plans of their time.")
                                             .arg(label)
                                       : tr("Connect to a quota database to replay its "
                                            "request_logs."));
    if (first)
        m_database->setChecked(true); // the traffic an admin asks about first
    else if (!available && m_database->isChecked())
        m_generated->setChecked(true);
    Q_EMIT changed();
}

void SimulationSourceWidget::setRecentRange(const QDateTime& now, qint64 spanMs)
{
    // Whole minutes: a range an admin can read and type again.
    const qint64 end = now.toMSecsSinceEpoch() / enforcement::kMinute * enforcement::kMinute
        + enforcement::kMinute;
    m_to->setDateTime(utc(end));
    m_from->setDateTime(utc(end - spanMs));
}

simulation::WorkspaceSource SimulationSourceWidget::source() const
{
    simulation::WorkspaceSource s;
    s.kind = m_database->isChecked() ? simulation::WorkspaceSource::Kind::Database
        : m_file->isChecked()        ? simulation::WorkspaceSource::Kind::File
                                     : simulation::WorkspaceSource::Kind::Generated;
    s.fromMs = m_from->dateTime().toMSecsSinceEpoch();
    s.toMs = m_to->dateTime().toMSecsSinceEpoch();
    s.path = m_path->text().trimmed();
    s.generator.startMs = m_genStart->dateTime().toMSecsSinceEpoch();
    s.generator.durationMs = policy::parseDuration(m_genDuration->text().trimmed()).value_or(0);
    s.generator.seed = static_cast<quint64>(m_seed->value());
    s.generator.users = m_users->value();
    s.generator.ips = m_ips->value();
    s.generator.requestsPerSecond = m_rate->value();
    s.generator.scenarios.clear();
    for (QCheckBox* box : m_scenarios) {
        if (box->isChecked()) {
            trace::Scenario scenario;
            scenario.kind = static_cast<trace::ScenarioKind>(box->property("scenario").toInt());
            s.generator.scenarios.push_back(scenario);
        }
    }
    s.warmupMs = policy::parseDuration(m_warmup->text().trimmed()).value_or(0);
    return s;
}

void SimulationSourceWidget::setSource(const simulation::WorkspaceSource& s)
{
    switch (s.kind) {
    case simulation::WorkspaceSource::Kind::Database:
        if (m_databaseAvailable)
            m_database->setChecked(true);
        m_from->setDateTime(utc(s.fromMs));
        m_to->setDateTime(utc(s.toMs));
        break;
    case simulation::WorkspaceSource::Kind::File:
        m_file->setChecked(true);
        m_path->setText(s.path);
        break;
    case simulation::WorkspaceSource::Kind::Generated: {
        m_generated->setChecked(true);
        const trace::GeneratorOptions& g = s.generator;
        m_genStart->setDateTime(utc(g.startMs));
        m_genDuration->setText(policy::formatDuration(g.durationMs));
        m_seed->setValue(static_cast<int>(g.seed));
        m_users->setValue(g.users);
        m_ips->setValue(g.ips);
        m_rate->setValue(g.requestsPerSecond);
        for (QCheckBox* box : std::as_const(m_scenarios)) {
            const auto kind = static_cast<trace::ScenarioKind>(box->property("scenario").toInt());
            box->setChecked(std::any_of(g.scenarios.begin(), g.scenarios.end(),
                [kind](const trace::Scenario& sc) { return sc.kind == kind; }));
        }
        break;
    }
    }
    m_warmup->setText(s.warmupMs > 0 ? policy::formatDuration(s.warmupMs) : QString());
    Q_EMIT changed();
}

QString SimulationSourceWidget::problem() const
{
    const simulation::WorkspaceSource s = source();
    if (!m_warmup->text().trimmed().isEmpty() && !policy::parseDuration(m_warmup->text().trimmed()))
        return tr("Warm-up '%1' is not a duration; use e.g. 30m, 1h.").arg(m_warmup->text());
    switch (s.kind) {
    case simulation::WorkspaceSource::Kind::Database:
        if (!m_databaseAvailable)
            return tr("Connect to a quota database to replay its request_logs.");
        if (s.toMs <= s.fromMs)
            return tr("The range is empty: To must be after From.");
        return {};
    case simulation::WorkspaceSource::Kind::File:
        if (s.path.isEmpty())
            return tr("Choose a trace file (CSV or JSONL).");
        if (!QFileInfo::exists(s.path))
            return tr("There is no file %1.").arg(s.path);
        return {};
    case simulation::WorkspaceSource::Kind::Generated:
        if (s.generator.durationMs <= 0)
            return tr("Length '%1' is not a duration; use e.g. 1h, 1d.").arg(m_genDuration->text());
        if (s.generator.scenarios.isEmpty())
            return tr("Pick at least one scenario.");
        return {};
    }
    return {};
}

} // namespace qc::ui
