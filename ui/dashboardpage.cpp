#include "dashboardpage.h"

#include "models/endpointhealthmodel.h"
#include "models/timeseriesmodel.h"
#include "models/toplistmodel.h"
#include "services/dashboardfeed.h"
#include "services/dashboardkpis.h"
#include "services/localization.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "ui/kpitile.h"
#include "ui/timeserieschart.h"
#include "ui/toplistview.h"

#include <QButtonGroup>
#include <QDateTimeEdit>
#include <QDialog>
#include <QDialogButtonBox>
#include <QEvent>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QScrollArea>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::InvestigationTarget;

namespace {

const QStringList kTileOrder { u"requests"_s, u"p95"_s, u"denials"_s, u"collisions"_s, u"cost"_s,
    u"blocks"_s, u"alerts"_s, u"services"_s };
const QStringList kCharts { u"latency"_s, u"denials"_s, u"collisions"_s, u"requests"_s, u"cost"_s };

QString ageText(qint64 seconds)
{
    if (seconds < 90)
        return DashboardPage::tr("%n s old", nullptr, int(qMax<qint64>(0, seconds)));
    if (seconds < 5400)
        return DashboardPage::tr("%n min old", nullptr, int(seconds / 60));
    if (seconds < 2 * 86400)
        return DashboardPage::tr("%n h old", nullptr, int(seconds / 3600));
    return DashboardPage::tr("%n day(s) old", nullptr, int(seconds / 86400));
}

QString clock(const QDateTime& utc)
{
    return services::display::time(utc, true);
}

// From/to of a custom range.
class CustomRangeDialog final : public QDialog {
public:
    CustomRangeDialog(const QDateTime& from, const QDateTime& to, QWidget* parent)
        : QDialog(parent)
        , m_from(new QDateTimeEdit(services::display::toDisplay(from), this))
        , m_to(new QDateTimeEdit(services::display::toDisplay(to), this))
    {
        setWindowTitle(DashboardPage::tr("Custom time range"));
        for (QDateTimeEdit* e : { m_from, m_to }) {
            e->setCalendarPopup(true);
            e->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
        }
        auto* form = new QFormLayout(this);
        form->addRow(DashboardPage::tr("From:"), m_from);
        form->addRow(DashboardPage::tr("To:"), m_to);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
        connect(buttons, &QDialogButtonBox::accepted, this, [this] {
            if (m_from->dateTime() < m_to->dateTime())
                accept();
        });
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        form->addRow(buttons);
    }
    QDateTime from() const { return m_from->dateTime().toUTC(); }
    QDateTime to() const { return m_to->dateTime().toUTC(); }

private:
    QDateTimeEdit* m_from;
    QDateTimeEdit* m_to;
};

} // namespace

DashboardPage::DashboardPage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
    , m_feed(new services::DashboardFeed(context.session, this))
    , m_rangeButtons(new QButtonGroup(this))
    , m_custom(nullptr)
    , m_pause(nullptr)
    , m_status(new QLabel(this))
    , m_tileGrid(new QGridLayout)
    , m_endpointModel(new models::EndpointHealthModel(this))
    , m_endpointView(nullptr)
    , m_endpointBox(nullptr)
    , m_tick(new QTimer(this))
    , m_stepTimer(new QTimer(this))
{
    m_stepTimer->setSingleShot(true);
    m_stepTimer->setInterval(0);
    connect(m_stepTimer, &QTimer::timeout, this, [this] {
        if (m_steps.isEmpty())
            return;
        const std::function<void()> step = m_steps.takeFirst();
        step();
        if (!m_steps.isEmpty())
            m_stepTimer->start();
    });
    const services::ConsoleSettings::Dashboard& saved = context.settings->settings().dashboard;
    services::TimeRange range;
    range.preset = saved.range;
    m_feed->setRefreshInterval(std::chrono::seconds(saved.refreshSeconds));
    m_feed->setPaused(saved.paused);

    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    layout->setContentsMargins(12, 10, 12, 12);
    layout->setSpacing(10);
    layout->addWidget(buildToolbar());

    m_tileGrid->setSpacing(8);
    for (int i = 0; i < kTileOrder.size(); ++i) {
        auto* tile = new KpiTile(content);
        services::KpiValue placeholder;
        placeholder.id = kTileOrder.at(i);
        tile->setValue(placeholder);
        m_tiles.insert(kTileOrder.at(i), tile);
        m_tileGrid->addWidget(tile, i / 4, i % 4);
    }
    layout->addLayout(m_tileGrid);

    auto* charts = new QGridLayout;
    charts->setSpacing(8);
    for (int i = 0; i < kCharts.size(); ++i) {
        auto* model = new models::TimeSeriesModel(this);
        auto* chart = new TimeSeriesChart(content);
        chart->setObjectName(u"chart_"_s + kCharts.at(i));
        chart->setModel(model);
        const QString id = kCharts.at(i);
        connect(chart, &TimeSeriesChart::spanSelected, this,
            [this, id](const QDateTime& from, const QDateTime& to) {
                investigateSpan(from, to, u"dashboard/chart-"_s + id);
            });
        m_series.insert(id, model);
        m_charts.insert(id, chart);
        charts->addWidget(chart, i / 2, i % 2);
    }
    // The endpoints' health next to the last chart.
    m_endpointBox = new QGroupBox(tr("Metrics endpoints"), content);
    auto* endpointLayout = new QVBoxLayout(m_endpointBox);
    m_endpointView = new QTableView(m_endpointBox);
    m_endpointView->setObjectName(u"endpointHealth"_s);
    m_endpointView->setModel(m_endpointModel);
    m_endpointView->setAccessibleName(tr("Metrics endpoints"));
    m_endpointView->verticalHeader()->hide();
    m_endpointView->setSelectionMode(QAbstractItemView::NoSelection);
    m_endpointView->horizontalHeader()->setStretchLastSection(true);
    m_endpointView->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_endpointView->setColumnWidth(models::EndpointHealthModel::Url, 220);
    endpointLayout->addWidget(m_endpointView);
    charts->addWidget(m_endpointBox, int(kCharts.size()) / 2, int(kCharts.size()) % 2);
    m_endpointBox->setVisible(!context.session->profile().metricsEndpoints.isEmpty());
    layout->addLayout(charts);

    auto* tops = new QTabWidget(content);
    tops->setObjectName(u"topLists"_s);
    const std::pair<QString, InvestigationTarget::Kind> kinds[] = {
        { u"ip"_s, InvestigationTarget::Kind::Ip },
        { u"user"_s, InvestigationTarget::Kind::User },
        { u"endpoint"_s, InvestigationTarget::Kind::Endpoint },
    };
    for (const auto& [key, kind] : kinds) {
        auto* model = new models::TopListModel(kind, this);
        auto* view = new TopListView(model, tops);
        view->setObjectName(u"top_"_s + key);
        connect(view, &TopListView::identifierActivated, this,
            [this, key](InvestigationTarget::Kind k, const QString& value) {
                InvestigationTarget t;
                t.kind = k;
                t.value = value;
                if (m_feed->hasData()) {
                    t.from = m_feed->data().range.start;
                    t.to = m_feed->data().range.end;
                }
                t.origin = u"dashboard/top-"_s + key;
                Q_EMIT investigateRequested(t);
            });
        m_topModels.insert(key, model);
        m_topViews.insert(key, view);
    }
    tops->addTab(m_topViews.value(u"ip"_s), tr("Top IPs"));
    tops->addTab(m_topViews.value(u"user"_s), tr("Top users"));
    tops->addTab(m_topViews.value(u"endpoint"_s), tr("Endpoints"));
    tops->setMinimumHeight(300);
    layout->addWidget(tops);

    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(content);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_feed, &services::DashboardFeed::dataChanged, this, &DashboardPage::updateData);
    connect(m_feed, &services::DashboardFeed::statusChanged, this, &DashboardPage::updateStatus);
    connect(m_feed, &services::DashboardFeed::liveChanged, this, &DashboardPage::updateLive);
    connect(m_feed, &services::DashboardFeed::historyChanged, this, &DashboardPage::updateCharts);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &DashboardPage::updateStatus);

    // Settings → Dashboard refresh applies at once.
    connect(context.settings, &services::SettingsStore::changed, this, [this] {
        const std::chrono::seconds interval(
            this->context().settings->settings().dashboard.refreshSeconds);
        if (m_feed->refreshInterval() != interval)
            m_feed->setRefreshInterval(interval);
    });

    m_feed->setRange(range);
    updateData();
}

DashboardPage::~DashboardPage() = default;

QWidget* DashboardPage::buildToolbar()
{
    auto* bar = new QWidget(this);
    bar->setObjectName(u"dashboardToolbar"_s);
    // The chosen range must stand out in light and dark palettes alike.
    bar->setStyleSheet(
        u"QToolButton:checked { background: palette(highlight); "
        "color: palette(highlighted-text); border-radius: 3px; padding: 2px 6px; }"_s);
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto* label = new QLabel(tr("Range:"), bar);
    layout->addWidget(label);
    const QString saved = context().settings->settings().dashboard.range;
    int index = 0;
    for (const services::RangePreset& p : services::rangePresets()) {
        auto* b = new QToolButton(bar);
        b->setObjectName(u"range_"_s + p.id);
        b->setText(p.title);
        b->setCheckable(true);
        b->setChecked(p.id == saved);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setShortcut(QKeySequence(Qt::ALT | Qt::Key(Qt::Key_1 + index)));
        b->setToolTip(tr("Show the last %1 (%2)")
                          .arg(p.title, b->shortcut().toString(QKeySequence::NativeText)));
        m_rangeButtons->addButton(b, index++);
        const QString id = p.id;
        connect(b, &QToolButton::clicked, this, [this, id] {
            services::TimeRange r;
            r.preset = id;
            setRange(r);
        });
        layout->addWidget(b);
    }
    m_custom = new QToolButton(bar);
    m_custom->setObjectName(u"range_custom"_s);
    m_custom->setText(tr("Custom…"));
    m_custom->setCheckable(true);
    m_custom->setShortcut(QKeySequence(Qt::ALT | Qt::Key_0));
    m_custom->setToolTip(tr("Choose the start and end of the range (%1)")
                             .arg(m_custom->shortcut().toString(QKeySequence::NativeText)));
    m_rangeButtons->addButton(m_custom, index);
    connect(m_custom, &QToolButton::clicked, this, &DashboardPage::chooseCustomRange);
    layout->addWidget(m_custom);
    layout->addSpacing(16);

    m_pause = new QToolButton(bar);
    m_pause->setObjectName(u"pause"_s);
    m_pause->setCheckable(true);
    m_pause->setChecked(m_feed->isPaused());
    m_pause->setText(m_feed->isPaused() ? tr("Resume") : tr("Pause"));
    m_pause->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Space));
    m_pause->setToolTip(tr("Pause or resume the automatic refresh (%1)")
                            .arg(m_pause->shortcut().toString(QKeySequence::NativeText)));
    connect(m_pause, &QToolButton::toggled, this, [this](bool paused) {
        m_feed->setPaused(paused);
        m_pause->setText(paused ? tr("Resume") : tr("Pause"));
        context().settings->update(
            [&](services::ConsoleSettings& s) { s.dashboard.paused = paused; });
    });
    layout->addWidget(m_pause);
    auto* refresh = new QToolButton(bar);
    refresh->setObjectName(u"refresh"_s);
    refresh->setText(tr("Refresh"));
    refresh->setShortcut(QKeySequence::Refresh);
    refresh->setToolTip(
        tr("Refresh now (%1)").arg(refresh->shortcut().toString(QKeySequence::NativeText)));
    connect(refresh, &QToolButton::clicked, m_feed, &services::DashboardFeed::refresh);
    layout->addWidget(refresh);
    layout->addSpacing(16);
    m_status->setObjectName(u"dashboardStatus"_s);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status->setWordWrap(true);
    layout->addWidget(m_status, 1);
    return bar;
}

void DashboardPage::activated()
{
    m_feed->start();
    m_tick->start();
    updateStatus();
}

void DashboardPage::deactivated()
{
    m_feed->stop();
    m_tick->stop();
}

void DashboardPage::setRange(const services::TimeRange& range)
{
    for (QAbstractButton* b : m_rangeButtons->buttons())
        b->setChecked(b->objectName() == u"range_"_s + range.preset);
    m_feed->setRange(range);
    if (range.isRolling())
        context().settings->update(
            [&](services::ConsoleSettings& s) { s.dashboard.range = range.preset; });
}

void DashboardPage::chooseCustomRange()
{
    const db::DashboardRange current = m_feed->range().resolve(session()->now());
    CustomRangeDialog dialog(current.start, current.end, this);
    if (dialog.exec() != QDialog::Accepted) {
        setRange(m_feed->range()); // restore the checked button
        return;
    }
    setRange(services::TimeRange::custom(dialog.from(), dialog.to()));
}

void DashboardPage::investigateSpan(
    const QDateTime& from, const QDateTime& to, const QString& origin)
{
    InvestigationTarget t;
    t.kind = InvestigationTarget::Kind::TimeSpan;
    t.from = from;
    t.to = to;
    t.origin = origin;
    Q_EMIT investigateRequested(t);
}

void DashboardPage::updateData()
{
    if (!m_feed->hasData()) {
        for (KpiTile* tile : std::as_const(m_tiles)) {
            services::KpiValue v = tile->value();
            v.value = tr("…");
            v.trend.clear();
            v.detail = m_feed->lastError().isEmpty() ? tr("loading") : tr("no data");
            v.live.clear();
            v.level = services::thresholds::Level::None;
            tile->setValue(v);
        }
        for (models::TopListModel* m : std::as_const(m_topModels))
            m->resetData({});
        updateCharts();
        updateStatus();
        return;
    }
    const db::DashboardData& d = m_feed->data();
    if (!m_firstShown) {
        // The requests tile's next paint is the first one with data.
        if (KpiTile* tile = m_tiles.value(u"requests"_s))
            tile->installEventFilter(this);
    }
    m_topModels.value(u"ip"_s)->resetData(d.topIps);
    m_topModels.value(u"user"_s)->resetData(d.topUsers);
    m_topModels.value(u"endpoint"_s)->resetData(d.topEndpoints);
    updateLive(); // tiles (with the live figures) and the charts
    updateStatus();
}

void DashboardPage::updateLive()
{
    m_endpointModel->resetData(m_feed->endpoints());
    if (!m_feed->hasData())
        return;
    QString rangeTitle = tr("range");
    for (const services::RangePreset& p : services::rangePresets()) {
        if (m_feed->range().isRolling() && p.id == m_feed->range().preset)
            rangeTitle = p.title;
    }
    const QList<services::KpiValue> kpis
        = services::computeKpis(m_feed->data(), m_feed->freshLive(), rangeTitle);
    QSet<QString> shown;
    for (const services::KpiValue& k : kpis) {
        if (KpiTile* tile = m_tiles.value(k.id)) {
            tile->setValue(k);
            tile->show();
            shown.insert(k.id);
        }
    }
    for (auto it = m_tiles.begin(); it != m_tiles.end(); ++it)
        it.value()->setVisible(shown.contains(it.key()));
    updateCharts();
}

void DashboardPage::updateCharts()
{
    if (!m_feed->hasData()) {
        m_steps.clear();
        for (models::TimeSeriesModel* m : std::as_const(m_series))
            m->resetData({});
        return;
    }
    // The tables are computed now (cheap, consistent with each other), the charts redrawn one
    // per event-loop turn.
    const db::DashboardData& d = m_feed->data();
    const QList<services::LiveMetrics> live = m_feed->liveHistory();
    const services::PrometheusHistory* history
        = m_feed->hasPrometheus() ? &m_feed->history() : nullptr;
    const std::pair<QString, services::TimeSeriesTable> tables[] = {
        { u"latency"_s, services::latencyTable(d, live, history) },
        { u"denials"_s, services::denialsByReasonTable(d) },
        { u"collisions"_s, services::collisionTable(d) },
        { u"requests"_s, services::requestsTable(d, live, history) },
        { u"cost"_s, services::costTable(d) },
    };
    QList<std::function<void()>> steps;
    for (const auto& [id, table] : tables) {
        models::TimeSeriesModel* model = m_series.value(id);
        TimeSeriesChart* chart = m_charts.value(id);
        // Painted in the same turn, so that no turn paints several charts.
        steps << [model, chart, table] {
            model->resetData(table);
            if (chart->isVisible())
                chart->viewport()->repaint();
        };
    }
    runSteps(std::move(steps));
}

void DashboardPage::runSteps(QList<std::function<void()>> steps)
{
    m_steps = std::move(steps);
    if (!m_steps.isEmpty())
        m_stepTimer->start();
}

bool DashboardPage::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::Paint && !m_firstShown && m_feed->hasData()) {
        watched->removeEventFilter(this);
        m_firstShown = true;
        // After this paint has been delivered.
        QTimer::singleShot(0, this, &DashboardPage::firstDataShown);
    }
    return Page::eventFilter(watched, event);
}

QString DashboardPage::statusText() const
{
    return m_status->text();
}

void DashboardPage::updateStatus()
{
    const QString error = m_feed->lastError();
    const QDateTime at = m_feed->dataTime();
    const qint64 age = at.isValid() ? at.secsTo(QDateTime::currentDateTimeUtc()) : 0;
    const bool stale = m_feed->isStale();
    QString text;
    if (!m_feed->hasData()) {
        text = error.isEmpty() ? tr("Loading %1…").arg(m_feed->range().title())
                               : tr("No data: %1").arg(error);
    } else if (stale) {
        text = error.isEmpty()
            ? tr("Data from %1 (%2): waiting for the database").arg(clock(at), ageText(age))
            : tr("Data from %1 (%2) — refresh failed: %3").arg(clock(at), ageText(age), error);
    } else {
        const QString refresh = !m_feed->range().isRolling() ? tr("fixed range")
            : m_feed->isPaused()                             ? tr("auto-refresh paused")
                                 : tr("refresh every %1 s").arg(m_feed->refreshInterval().count());
        text = tr("%1 · updated %2 in %3 ms · %4")
                   .arg(m_feed->range().title(), clock(at))
                   .arg(m_feed->data().queryMs)
                   .arg(refresh);
        if (m_feed->hasPrometheus() && !m_feed->history().error.isEmpty())
            text += tr(" · Prometheus: %1").arg(m_feed->history().error);
    }
    m_status->setText(text);
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText,
        stale || (!error.isEmpty())
            ? (palette().color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0xc1, 0x4d)
                                                                   : QColor(0xb2, 0x6a, 0x00))
            : palette().color(QPalette::WindowText));
    m_status->setPalette(p);
    const QString staleAge = stale ? ageText(age) : QString();
    for (KpiTile* tile : std::as_const(m_tiles))
        tile->setStale(staleAge);
    for (TimeSeriesChart* chart : std::as_const(m_charts))
        chart->setNote(stale ? tr("stale") : QString());
}

PageDescriptor DashboardPage::descriptor()
{
    return pageDescriptorOf<DashboardPage>(u"dashboard"_s, tr("Dashboard"),
        tr("Live KPIs, charts and top lists"), u"utilities-system-monitor"_s, 10);
}

} // namespace qc::ui
