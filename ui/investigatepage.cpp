#include "investigatepage.h"

#include "models/blockmodel.h"
#include "models/displayformat.h"
#include "models/incidentmodel.h"
#include "models/investigationmodels.h"
#include "models/textfilterproxymodel.h"
#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/session.h"
#include "ui/activitychart.h"
#include "ui/blockdialog.h"
#include "ui/changeplandialog.h"
#include "ui/reconnectrefresh.h"
#include "ui/requestlogview.h"
#include "ui/roleguard.h"
#include "ui/tablesetup.h"
#include "ui/timerangeselector.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::InvestigationTarget;
namespace display = models::display;

namespace {

QTableView* makeTable(
    QAbstractItemModel* model, QWidget* parent, const QString& name, int firstWidth = 150)
{
    auto* proxy = new models::TextFilterProxyModel(parent);
    proxy->setSourceModel(model);
    auto* view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(proxy);
    setUpTable(view);
    // The server's order until someone clicks a header.
    view->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    view->setSortingEnabled(true);
    view->horizontalHeader()->setDefaultSectionSize(120);
    view->horizontalHeader()->resizeSection(0, firstWidth);
    fitColumnsOnReset(view);
    return view;
}

QString kindTitle(db::Subject::Kind kind)
{
    switch (kind) {
    case db::Subject::Kind::Ip:
        return InvestigatePage::tr("IP address");
    case db::Subject::Kind::Network:
        return InvestigatePage::tr("Network");
    case db::Subject::Kind::User:
        return InvestigatePage::tr("User");
    case db::Subject::Kind::Endpoint:
        break;
    }
    return InvestigatePage::tr("Endpoint");
}

} // namespace

InvestigatePage::InvestigatePage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
    , m_input(new QLineEdit(this))
    , m_range(new TimeRangeSelector(this))
    , m_go(new QPushButton(tr("Investigate"), this))
    , m_back(new QPushButton(tr("Back"), this))
    , m_header(new QLabel(this))
    , m_message(new QLabel(this))
    , m_block(new QPushButton(tr("Block…"), this))
    , m_changePlan(new QPushButton(tr("Change plan…"), this))
    , m_network(new QPushButton(this))
    , m_stack(new QStackedWidget(this))
    , m_chart(new ActivityChart(this))
    , m_tabs(new QTabWidget(this))
    , m_requests(new RequestLogView(context.session, u"investigate/requests"_s, this))
    , m_denials(new models::ReasonCountModel(this))
    , m_rateLimits(new models::RateLimitModel(this))
    , m_blocks(new models::BlockModel(this))
    , m_incidents(new models::IncidentModel(this))
    , m_collisions(new models::CollisionModel(this))
    , m_usage(new models::UsageModel(this))
    , m_planChanges(new models::PlanChangeModel(this))
    , m_related(new models::RelatedModel(this))
    , m_planLabel(new QLabel(this))
    , m_planTab(new QWidget(this))
    , m_planChangesTab(nullptr)
    , m_spanTitle(new QLabel(this))
    , m_runner(new services::ActionRunner(context.session, this))
{
    m_range->setClock([s = context.session] { return s->now(); });
    m_input->setObjectName(u"investigateInput"_s);
    m_input->setAccessibleName(tr("What to investigate"));
    m_input->setPlaceholderText(
        tr("IP (203.0.113.7), network (198.51.100.0/24, 2001:db8:1:2::/64), user id or /endpoint"));
    m_input->setClearButtonEnabled(true);
    m_go->setObjectName(u"investigateButton"_s);
    m_go->setDefault(true);
    m_back->setEnabled(false);
    m_header->setObjectName(u"investigateHeader"_s);
    m_header->setTextFormat(Qt::RichText);
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setObjectName(u"investigateMessage"_s);
    m_message->setWordWrap(true);
    m_block->setObjectName(u"investigateBlock"_s);
    m_changePlan->setObjectName(u"investigateChangePlan"_s);
    m_network->setObjectName(u"investigateNetwork"_s);
    m_network->setAccessibleName(tr("Network"));
    RoleGuard::require(
        m_block, context.session, db::QuotaRole::Operator, tr("Block what is being investigated"));
    RoleGuard::require(
        m_changePlan, context.session, db::QuotaRole::Admin, tr("Change this user's plan"));

    // Tabs of an investigation.
    m_tabs->setObjectName(u"investigateTabs"_s);
    m_tabs->addTab(m_requests, tr("Requests"));
    m_tabs->addTab(makeTable(m_denials, this, u"denialsTable"_s), tr("Denials by reason"));
    m_tabs->addTab(makeTable(m_rateLimits, this, u"rateLimitTable"_s), tr("Rate limits now"));
    m_tabs->addTab(makeTable(m_blocks, this, u"subjectBlocksTable"_s, 70), tr("Blocks"));
    m_tabs->addTab(makeTable(m_incidents, this, u"subjectIncidentsTable"_s), tr("Incidents"));
    m_tabs->addTab(makeTable(m_collisions, this, u"collisionsTable"_s), tr("Collisions"));
    auto* planLayout = new QVBoxLayout(m_planTab);
    m_planLabel->setTextFormat(Qt::RichText);
    m_planLabel->setWordWrap(true);
    planLayout->addWidget(m_planLabel);
    planLayout->addWidget(makeTable(m_usage, m_planTab, u"usageTable"_s), 1);
    m_tabs->addTab(m_planTab, tr("Plan and usage"));
    m_planChangesTab = makeTable(m_planChanges, this, u"planChangesTable"_s);
    m_tabs->addTab(m_planChangesTab, tr("Plan changes"));
    auto* related = makeTable(m_related, this, u"relatedTable"_s, 70);
    m_tabs->addTab(related, tr("Related"));
    // Screen readers name each table after its tab.
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (auto* view = qobject_cast<QTableView*>(m_tabs->widget(i)))
            view->setAccessibleName(m_tabs->tabText(i));
    }
    if (auto* usage = m_planTab->findChild<QTableView*>(u"usageTable"_s))
        usage->setAccessibleName(tr("Usage against quota"));

    auto* investigation = new QSplitter(Qt::Vertical, this);
    investigation->addWidget(m_chart);
    investigation->addWidget(m_tabs);
    // The timeline is what an investigation is read from: tall enough for its axis labels.
    m_chart->setMinimumHeight(240);
    investigation->setStretchFactor(0, 2);
    investigation->setStretchFactor(1, 3);

    // The span overview: who was active in a time range.
    auto* span = new QWidget(this);
    auto* spanLayout = new QVBoxLayout(span);
    m_spanTitle->setTextFormat(Qt::RichText);
    m_spanTitle->setWordWrap(true);
    auto* ipModel = new models::SpanTopModel(tr("IP"), this);
    auto* userModel = new models::SpanTopModel(tr("User"), this);
    auto* endpointModel = new models::SpanTopModel(tr("Endpoint"), this);
    m_spanIps = makeTable(ipModel, span, u"spanIps"_s);
    m_spanUsers = makeTable(userModel, span, u"spanUsers"_s);
    m_spanEndpoints = makeTable(endpointModel, span, u"spanEndpoints"_s);
    m_spanIps->setAccessibleName(tr("Top IPs in the span"));
    m_spanUsers->setAccessibleName(tr("Top users in the span"));
    m_spanEndpoints->setAccessibleName(tr("Top endpoints in the span"));
    auto* lists = new QHBoxLayout;
    lists->addWidget(m_spanIps);
    lists->addWidget(m_spanUsers);
    lists->addWidget(m_spanEndpoints);
    spanLayout->addWidget(m_spanTitle);
    spanLayout->addLayout(lists, 1);

    auto* empty = new QLabel(tr("Type an IP address, a network, a user id or an endpoint above, "
                                "or pick a row of a top list or a span of a chart on the "
                                "Dashboard to investigate it."),
        this);
    empty->setWordWrap(true);
    empty->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(empty);
    m_stack->addWidget(investigation);
    m_stack->addWidget(span);

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_back);
    bar->addWidget(m_input, 1);
    bar->addWidget(m_range);
    bar->addWidget(m_go);
    auto* actions = new QHBoxLayout;
    actions->addWidget(m_header, 1);
    actions->addWidget(m_network);
    actions->addWidget(m_changePlan);
    actions->addWidget(m_block);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<h2>Investigate</h2>"), this));
    layout->addLayout(bar);
    layout->addLayout(actions);
    layout->addWidget(m_message);
    layout->addWidget(m_stack, 1);

    connect(m_go, &QPushButton::clicked, this, [this] { investigateText(m_input->text()); });
    connect(m_input, &QLineEdit::returnPressed, this, [this] { investigateText(m_input->text()); });
    connect(m_range, &TimeRangeSelector::rangeChanged, this, [this] {
        if (m_subject)
            open(*m_subject, m_range->from(), m_range->to());
    });
    connect(m_back, &QPushButton::clicked, this, &InvestigatePage::goBack);
    connect(m_block, &QPushButton::clicked, this, &InvestigatePage::openBlockDialog);
    connect(m_changePlan, &QPushButton::clicked, this, &InvestigatePage::openChangePlan);
    connect(m_network, &QPushButton::clicked, this, [this] {
        if (m_subject)
            if (const auto net = m_subject->enclosingNetwork())
                open(*net, m_from, m_to);
    });
    connect(m_chart, &ActivityChart::spanSelected, this,
        [this](const QDateTime& from, const QDateTime& to) {
            if (m_subject)
                open(*m_subject, from, to);
        });
    connect(m_requests, &RequestLogView::investigateRequested, this,
        [this](const InvestigationTarget& t) { investigate(t); });
    connect(m_runner, &services::ActionRunner::progress, m_message, &QLabel::setText);
    connect(related, &QTableView::doubleClicked, this, [this, related](const QModelIndex& i) {
        const auto* proxy = static_cast<QSortFilterProxyModel*>(related->model());
        const db::RelatedIdentifier* r = m_related->rowAt(proxy->mapToSource(i).row());
        if (!r)
            return;
        const auto s
            = db::Subject::parse(r->kind == u"user" ? u"user:"_s + r->identifier : r->identifier);
        if (s)
            open(*s, m_from, m_to);
    });
    for (QTableView* v : { m_spanIps, m_spanUsers, m_spanEndpoints }) {
        connect(v, &QTableView::doubleClicked, this, [this, v](const QModelIndex& i) {
            const QString id = i.siblingAtColumn(0).data().toString();
            const QString text = v == m_spanUsers ? u"user:"_s + id
                : v == m_spanEndpoints            ? u"endpoint:"_s + id
                                                  : id;
            if (const auto s = db::Subject::parse(text))
                open(*s, m_from, m_to);
        });
    }
    updateActions();
    refreshWhenConnected(this, [this] {
        if (m_subject && (!m_timeline || !m_timeline->ok()))
            open(*m_subject, m_from, m_to);
    });
}

InvestigatePage::~InvestigatePage() = default;

PageDescriptor InvestigatePage::descriptor()
{
    PageDescriptor d = pageDescriptorOf<InvestigatePage>(u"investigate"_s, tr("Investigate"),
        tr("An IP, network, user or endpoint: requests, denials, blocks, incidents, "
           "collisions, plan and rate limits"),
        u"edit-find"_s, 20);
    d.investigates = true;
    return d;
}

void InvestigatePage::activated()
{
    if (!m_subject)
        m_input->setFocus();
}

void InvestigatePage::investigate(const InvestigationTarget& target)
{
    QDateTime from = target.from;
    QDateTime to = target.to;
    if (!from.isValid() || !to.isValid() || from >= to) {
        to = session()->now();
        from = to.addDays(-1);
    }
    if (!target.hasIdentifier() || target.kind == InvestigationTarget::Kind::Rule) {
        if (target.kind == InvestigationTarget::Kind::Rule)
            m_message->setText(tr("Who was active around the alert %1:").arg(target.value));
        openSpan(from, to);
        return;
    }
    QString text = target.value;
    if (target.kind == InvestigationTarget::Kind::User)
        text = u"user:"_s + target.value;
    else if (target.kind == InvestigationTarget::Kind::Endpoint)
        text = u"endpoint:"_s + target.value;
    QString error;
    const auto subject = db::Subject::parse(text, &error);
    if (!subject) {
        m_message->setText(error);
        return;
    }
    open(*subject, from, to);
}

void InvestigatePage::investigateText(const QString& text)
{
    QString error;
    const auto subject = db::Subject::parse(text, &error);
    if (!subject) {
        m_message->setText(error);
        m_message->setStyleSheet(u"color: #c62828"_s);
        return;
    }
    open(*subject, m_range->from(), m_range->to());
}

void InvestigatePage::open(const db::Subject& subject, const QDateTime& from, const QDateTime& to)
{
    if (m_subject)
        m_history.append({ m_input->text(), m_from, m_to });
    m_back->setEnabled(!m_history.isEmpty());
    m_subject = subject;
    m_from = from.toUTC();
    m_to = to.toUTC();
    m_timeline.reset();
    m_details.reset();
    const QString shown = subject.kind == db::Subject::Kind::User
            && db::Subject::parse(subject.value).value_or(db::Subject {}).kind
                != db::Subject::Kind::User
        ? u"user:"_s + subject.value
        : subject.value;
    m_input->setText(shown);
    // A range that is not the selector's own (a chart span, a target) is shown as from … to.
    if (qAbs(m_range->from().secsTo(m_from)) > 2 || qAbs(m_range->to().secsTo(m_to)) > 2) {
        const QSignalBlocker block(m_range);
        m_range->setRange(m_from, m_to);
    }
    m_message->setStyleSheet(QString());
    m_message->setText(tr("Reading…"));
    m_stack->setCurrentIndex(1);
    m_requests->clear();
    updateHeader();
    updateActions();
    services::logger()->info("investigate {} {} from {} to {}", services::toLog(subject.kindName()),
        services::toLog(subject.value), services::toLog(m_from.toString(Qt::ISODate)),
        services::toLog(m_to.toString(Qt::ISODate)));
    m_asked.start();
    readTimeline();
    // A network's newest requests come from every address in it: for a busy /24 that query
    // takes longer than the hourly timeline, so it is a job of its own, after the timeline
    // (which paints first) and before the details.
    if (m_subject->kind == db::Subject::Kind::Network)
        m_requests->setFilter(m_subject->requestFilter(m_from, m_to));
    readDetails();
}

void InvestigatePage::readTimeline()
{
    const db::Subject subject = *m_subject;
    const QDateTime from = m_from;
    const QDateTime to = m_to;
    session()->reader()->post<db::InvestigationTimeline>(
        u"investigate/timeline"_s, this,
        [subject, from, to](QSqlDatabase& db) {
            const int firstPageRows = subject.kind == db::Subject::Kind::Network ? 0 : 200;
            return db::readInvestigationTimeline(db, subject, from, to, firstPageRows);
        },
        [this](const services::JobOutcome<db::InvestigationTimeline>& o) {
            if (!o.ran()) {
                m_message->setText(tr("Could not read the investigation: %1").arg(o.error));
                return;
            }
            showTimeline(o.value);
        });
}

void InvestigatePage::readDetails()
{
    const db::Subject subject = *m_subject;
    const QDateTime from = m_from;
    const QDateTime to = m_to;
    const QDateTime now = session()->now();
    session()->reader()->post<db::InvestigationDetails>(
        u"investigate/details"_s, this,
        [subject, from, to, now](
            QSqlDatabase& db) { return db::readInvestigationDetails(db, subject, from, to, now); },
        [this](const services::JobOutcome<db::InvestigationDetails>& o) {
            if (!o.ran()) {
                m_message->setText(tr("Could not read the investigation: %1").arg(o.error));
                return;
            }
            showDetails(o.value);
        });
}

void InvestigatePage::showTimeline(const db::InvestigationTimeline& t)
{
    if (!m_subject || !(t.subject == *m_subject))
        return;
    m_timeline = t;
    if (!t.ok()) {
        m_message->setText(tr("Could not read the investigation: %1").arg(t.error));
        m_message->setStyleSheet(u"color: #c62828"_s);
        return;
    }
    m_chart->setActivity(t.activity, t.from, t.to);
    if (m_subject->kind != db::Subject::Kind::Network) // else its own job (open())
        m_requests->showFirstPage(m_subject->requestFilter(t.from, t.to), t.firstPage);
    updateHeader();
    m_timelineMs = m_asked.elapsed();
    m_message->setText(tr("Timeline read in %1 ms.").arg(t.queryMs));
    Q_EMIT timelineShown(m_timelineMs);
}

void InvestigatePage::showDetails(const db::InvestigationDetails& d)
{
    if (!m_subject || !(d.subject == *m_subject))
        return;
    m_details = d;
    if (!d.ok()) {
        m_message->setText(tr("Could not read the investigation: %1").arg(d.error));
        return;
    }
    m_denials->resetData(d.denialsByReason);
    m_rateLimits->resetData(d.rateLimits, session()->now());
    m_blocks->resetData(d.blocks, session()->now());
    m_incidents->resetData(d.incidents);
    m_collisions->resetData(d.collisions);
    m_usage->resetData(d.usage);
    m_planChanges->resetData(d.planChanges);
    m_related->resetData(d.related);
    m_tabs->setTabText(1, tr("Denials by reason (%1)").arg(d.denialsByReason.size()));
    m_tabs->setTabText(3, tr("Blocks (%1)").arg(d.blocks.size()));
    m_tabs->setTabText(4, tr("Incidents (%1)").arg(d.incidents.size()));
    m_tabs->setTabText(5, tr("Collisions (%1)").arg(d.collisions.size()));
    m_tabs->setTabText(
        8, m_subject->kind == db::Subject::Kind::User ? tr("IP addresses") : tr("Users"));
    const bool user = m_subject->kind == db::Subject::Kind::User;
    m_tabs->setTabVisible(6, user);
    m_tabs->setTabVisible(7, user);
    m_tabs->setTabVisible(8, true);
    if (user && d.plan) {
        const db::PlanInfo& p = *d.plan;
        QString text = p.hasSubscription
            ? tr("On <b>%1</b> since %2 UTC (changed by %3).")
                  .arg(p.plan.toHtmlEscaped(), display::time(p.updatedAt),
                      p.updatedBy.toHtmlEscaped())
            : tr("No subscription: on the default plan <b>%1</b>.").arg(p.plan.toHtmlEscaped());
        if (!p.previousPlan.isEmpty() && p.graceEnd.isValid() && p.graceEnd > session()->now())
            text += u' '
                + tr("Downgraded from <b>%1</b>, whose quotas apply until %2 UTC.")
                      .arg(p.previousPlan.toHtmlEscaped(), display::time(p.graceEnd));
        m_planLabel->setText(text);
    }
    updateHeader();
    updateActions();
    QString message = m_message->text();
    if (!d.warnings.isEmpty()) {
        message = tr("Some parts could not be read: %1").arg(d.warnings.join(u"; "_s));
        m_message->setStyleSheet(u"color: #b26a00"_s);
    }
    m_message->setText(message);
    Q_EMIT detailsShown();
}

void InvestigatePage::updateHeader()
{
    if (!m_subject) {
        m_header->clear();
        return;
    }
    QStringList parts;
    parts << u"<b>%1 %2</b>"_s.arg(kindTitle(m_subject->kind), m_subject->value.toHtmlEscaped());
    parts << tr("%1 – %2 UTC").arg(display::time(m_from), display::time(m_to));
    if (m_timeline && m_timeline->ok()) {
        const db::InvestigationTimeline& t = *m_timeline;
        parts << tr("%n request(s)", nullptr, int(t.requests));
        if (t.requests > 0)
            parts << tr("%1 denied (%2)")
                         .arg(t.denials)
                         .arg(display::percent(double(t.denials) / double(t.requests)));
        parts << tr("cost %1").arg(display::money(t.costUsd));
        if (t.lastSeen.isValid())
            parts << tr("last seen %1").arg(display::relative(t.lastSeen, session()->now()));
    }
    QStringList badges;
    if (m_details && m_details->ok()) {
        for (const db::BlockRow& b : m_details->blocks)
            if (b.activeAt(session()->now())) {
                badges
                    << u"<span style='background:#c62828;color:white'>&nbsp;%1&nbsp;</span>"_s.arg(
                           b.until.isValid() ? tr("BLOCKED until %1").arg(display::time(b.until))
                                             : tr("BLOCKED"));
                break;
            }
        if (m_details->collisions24h > db::kBuggyClientCollisions)
            badges << u"<span style='background:#b26a00;color:white'>&nbsp;%1&nbsp;</span>"_s.arg(
                tr("BUGGY CLIENT: %n collisions in 24 h", nullptr, int(m_details->collisions24h)));
        if (m_details->plan)
            badges << tr("plan %1").arg(m_details->plan->plan.toHtmlEscaped());
        if (!m_details->incidents.isEmpty())
            badges << tr("%n incident(s)", nullptr, int(m_details->incidents.size()));
    }
    m_header->setText(
        parts.join(u" · "_s) + (badges.isEmpty() ? QString() : u"<br>"_s + badges.join(u" "_s)));
}

QString InvestigatePage::headerText() const
{
    return m_header->text();
}

QString InvestigatePage::lastMessage() const
{
    return m_message->text();
}

void InvestigatePage::updateActions()
{
    const bool has = m_subject.has_value();
    const bool blockable = has && m_subject->kind != db::Subject::Kind::Endpoint;
    const bool user = has && m_subject->kind == db::Subject::Kind::User;
    m_block->setVisible(blockable);
    m_changePlan->setVisible(user);
    const auto net = has ? m_subject->enclosingNetwork() : std::nullopt;
    m_network->setVisible(net.has_value());
    if (net)
        m_network->setText(tr("Investigate %1").arg(net->value));
}

void InvestigatePage::openBlockDialog()
{
    if (!m_subject)
        return;
    const QString target = m_subject->kind == db::Subject::Kind::User ? u"user"_s
        : m_subject->kind == db::Subject::Kind::Network               ? u"network"_s
                                                                      : u"ip"_s;
    auto* dialog = new BlockDialog({ { target, m_subject->value } }, session()->now(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const BlockRequest r = dialog->request();
        blockSubject(r.reason, r.until);
    });
    dialog->open();
}

void InvestigatePage::blockSubject(const QString& reason, const QDateTime& until)
{
    if (!m_subject || m_subject->kind == db::Subject::Kind::Endpoint)
        return;
    const QString target = m_subject->kind == db::Subject::Kind::User ? u"user"_s
        : m_subject->kind == db::Subject::Kind::Network               ? u"network"_s
                                                                      : u"ip"_s;
    const QString value = m_subject->value;
    const services::PendingAction action
        = services::ActionRunner::prepare(tr("Block %1 %2").arg(target, value),
            [target, value, reason, until](db::AdminActions& a, const QString& id) {
                return a.block(id, target, value, reason, until);
            });
    m_runner->run(action, this, [this](const services::ActionOutcome& o) {
        m_message->setText(o.message);
        m_message->setStyleSheet(o.applied() ? QString() : u"color: #c62828"_s);
        Q_EMIT statusMessage(o.message);
        if (m_subject)
            readDetails();
    });
}

void InvestigatePage::openChangePlan()
{
    if (!m_subject || m_subject->kind != db::Subject::Kind::User)
        return;
    auto* dialog = new ChangePlanDialog(session(), m_subject->value, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ChangePlanDialog::applied, this, [this](const services::ActionOutcome& o) {
        m_message->setText(o.message);
        Q_EMIT statusMessage(o.message);
        if (m_subject)
            readDetails();
    });
    dialog->open();
}

void InvestigatePage::goBack()
{
    if (m_history.isEmpty())
        return;
    const Step step = m_history.takeLast();
    const auto subject = db::Subject::parse(step.text);
    if (!subject)
        return;
    m_subject.reset(); // not pushed again
    open(*subject, step.from, step.to);
    m_back->setEnabled(!m_history.isEmpty());
}

void InvestigatePage::openSpan(const QDateTime& from, const QDateTime& to)
{
    m_subject.reset();
    m_from = from.toUTC();
    m_to = to.toUTC();
    {
        const QSignalBlocker block(m_range);
        m_range->setRange(m_from, m_to);
    }
    m_header->setText(tr("<b>%1 – %2 UTC</b>").arg(display::time(m_from), display::time(m_to)));
    m_stack->setCurrentIndex(2);
    updateActions();
    m_spanTitle->setText(tr("Reading who was active from %1 to %2 UTC…")
                             .arg(display::time(m_from), display::time(m_to)));
    const QDateTime f = m_from;
    const QDateTime t = m_to;
    session()->reader()->post<db::SpanOverview>(
        u"investigate/span"_s, this,
        [f, t](QSqlDatabase& db) { return db::readSpanOverview(db, f, t); },
        [this](const services::JobOutcome<db::SpanOverview>& o) {
            const QString error = readProblem(o.ran(), o.error, o.value.error);
            if (!error.isEmpty()) {
                m_spanTitle->setText(tr("Could not read the span: %1").arg(error));
                return;
            }
            const auto set = [](QTableView* v, const QList<db::TopRow>& rows) {
                auto* proxy = static_cast<QSortFilterProxyModel*>(v->model());
                static_cast<models::SpanTopModel*>(proxy->sourceModel())->resetData(rows);
            };
            set(m_spanIps, o.value.ips);
            set(m_spanUsers, o.value.users);
            set(m_spanEndpoints, o.value.endpoints);
            m_spanTitle->setText(tr("Who was active from %1 to %2 UTC (IPs and users by the "
                                    "hour). Double-click a row to investigate it.")
                                     .arg(display::time(o.value.from), display::time(o.value.to)));
            Q_EMIT spanShown();
        });
}

} // namespace qc::ui
