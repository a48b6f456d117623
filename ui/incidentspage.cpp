#include "incidentspage.h"

#include "models/incidentmodel.h"
#include "models/textfilterproxymodel.h"
#include "services/actionrunner.h"
#include "services/databaseworker.h"
#include "services/session.h"
#include "ui/blockdialog.h"
#include "ui/reconnectrefresh.h"
#include "ui/roleguard.h"
#include "ui/tablesetup.h"
#include "ui/timerangeselector.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::InvestigationTarget;

IncidentsPage::IncidentsPage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
    , m_range(new TimeRangeSelector(this))
    , m_severity(new QComboBox(this))
    , m_filter(new QLineEdit(this))
    , m_incidents(new models::IncidentModel(this))
    , m_proxy(new models::TextFilterProxyModel(this))
    , m_buggy(new models::BuggyClientModel(this))
    , m_incidentView(new QTableView(this))
    , m_buggyView(new QTableView(this))
    , m_message(new QLabel(this))
    , m_buggyTitle(new QLabel(this))
    , m_investigate(new QPushButton(tr("Investigate"), this))
    , m_block(new QPushButton(tr("Block…"), this))
    , m_debounce(new QTimer(this))
{
    m_range->setClock([s = context.session] { return s->now(); });
    m_severity->setObjectName(u"severityFilter"_s);
    m_severity->addItem(tr("Any severity"), QString());
    for (const QString& s : { u"critical"_s, u"high"_s, u"medium"_s, u"low"_s })
        m_severity->addItem(s, s);
    m_filter->setObjectName(u"incidentsFilter"_s);
    m_filter->setAccessibleName(tr("Filter incidents"));
    m_filter->setPlaceholderText(tr("Filter the list"));
    m_filter->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_incidents);
    m_incidentView->setObjectName(u"incidentsTable"_s);
    m_incidentView->setAccessibleName(tr("Incidents"));
    m_incidentView->setModel(m_proxy);
    setUpTable(m_incidentView, { 150, 70, 260, 60, 170, 80, 220, 80, 120 });
    m_incidentView->setSortingEnabled(true);
    m_incidentView->sortByColumn(models::IncidentModel::Time, Qt::DescendingOrder);
    auto* buggyProxy = new models::TextFilterProxyModel(this);
    buggyProxy->setSourceModel(m_buggy);
    m_buggyView->setObjectName(u"buggyClientsTable"_s);
    m_buggyView->setAccessibleName(tr("Buggy clients"));
    m_buggyView->setModel(buggyProxy);
    setUpTable(m_buggyView, { 160, 120, 90, 70, 90, 150, 150, 160 });
    m_buggyView->setSortingEnabled(true);
    m_buggyView->sortByColumn(models::BuggyClientModel::Collisions, Qt::DescendingOrder);
    m_message->setWordWrap(true);
    m_buggyTitle->setTextFormat(Qt::RichText);
    m_investigate->setObjectName(u"investigateIncident"_s);
    m_block->setObjectName(u"blockIncident"_s);
    RoleGuard::require(m_block, context.session, db::QuotaRole::Operator,
        tr("Block the identifiers of the selected incidents"));

    auto* refresh = new QPushButton(tr("Refresh"), this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_range);
    bar->addWidget(m_severity);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_investigate);
    bar->addWidget(m_block);
    bar->addWidget(refresh);

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_incidentView);
    auto* bottom = new QWidget(this);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_buggyTitle);
    bottomLayout->addWidget(m_buggyView);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(bottom);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<h2>Incidents</h2>"), this));
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_filter, &QLineEdit::textEdited, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, [this, buggyProxy] {
        m_proxy->setText(m_filter->text());
        buggyProxy->setText(m_filter->text());
    });
    connect(m_range, &TimeRangeSelector::rangeChanged, this, &IncidentsPage::refresh);
    connect(m_severity, &QComboBox::currentIndexChanged, this, &IncidentsPage::refresh);
    connect(refresh, &QPushButton::clicked, this, &IncidentsPage::refresh);
    connect(m_investigate, &QPushButton::clicked, this, &IncidentsPage::investigateSelected);
    connect(m_incidentView, &QTableView::doubleClicked, this, &IncidentsPage::investigateSelected);
    connect(m_block, &QPushButton::clicked, this, &IncidentsPage::blockSelected);
    connect(
        m_buggyView, &QTableView::doubleClicked, this, [this, buggyProxy](const QModelIndex& i) {
            const db::BuggyClient* b = m_buggy->rowAt(buggyProxy->mapToSource(i).row());
            if (!b)
                return;
            InvestigationTarget t;
            t.kind = InvestigationTarget::Kind::User;
            t.value = b->userId;
            t.from = session()->now().addDays(-1);
            t.to = session()->now();
            t.origin = u"incidents/buggy-clients"_s;
            Q_EMIT investigateRequested(t);
        });
    refreshWhenConnected(this, [this] { this->refresh(); });
}

IncidentsPage::~IncidentsPage() = default;

PageDescriptor IncidentsPage::descriptor()
{
    return pageDescriptorOf<IncidentsPage>(u"incidents"_s, tr("Incidents"),
        tr("Abuse incidents and buggy clients"), u"dialog-warning"_s, 40);
}

void IncidentsPage::activated()
{
    refresh();
}

void IncidentsPage::refresh()
{
    if (!session() || !session()->reader())
        return;
    db::IncidentFilter f;
    f.from = m_range->from();
    f.to = m_range->to();
    f.severity = m_severity->currentData().toString();
    session()->reader()->post<db::IncidentList>(
        u"incidents/list"_s, this, [f](QSqlDatabase& db) { return db::readIncidents(db, f); },
        [this](const services::JobOutcome<db::IncidentList>& o) {
            const QString error = readProblem(o.ran(), o.error, o.value.error);
            if (!error.isEmpty()) {
                m_message->setText(tr("Could not read the incidents: %1").arg(error));
                m_message->setStyleSheet(u"color: #c62828"_s);
                return;
            }
            m_message->setStyleSheet(QString());
            m_incidents->resetData(o.value.incidents);
            m_buggy->resetData(o.value.buggyClients);
            m_message->setText(o.value.incidents.size() >= 1000
                    ? tr("The 1000 newest incidents of the range; narrow it to see older ones.")
                    : tr("%n incident(s) in the range.", nullptr, int(o.value.incidents.size())));
            m_buggyTitle->setText(o.value.buggyClients.isEmpty()
                    ? tr("<b>Buggy clients</b>: no user had more than %1 idempotency collisions "
                         "in the last 24 hours.")
                          .arg(db::kBuggyClientCollisions)
                    : tr("<b>Buggy clients</b>: %n user(s) with more than %1 idempotency "
                         "collisions in the last 24 hours — their clients reuse keys.",
                        nullptr, int(o.value.buggyClients.size()))
                          .arg(db::kBuggyClientCollisions));
            Q_EMIT refreshed();
        });
}

QString IncidentsPage::lastMessage() const
{
    return m_message->text();
}

QList<db::IncidentRow> IncidentsPage::selectedIncidents() const
{
    QList<db::IncidentRow> out;
    for (const QModelIndex& i : m_incidentView->selectionModel()->selectedRows())
        if (const db::IncidentRow* r = m_incidents->rowAt(m_proxy->mapToSource(i).row()))
            out << *r;
    return out;
}

void IncidentsPage::investigateSelected()
{
    const QList<db::IncidentRow> rows = selectedIncidents();
    if (rows.isEmpty())
        return;
    const db::IncidentRow& r = rows.first();
    InvestigationTarget t;
    t.kind = r.scope == u"user" ? InvestigationTarget::Kind::User : InvestigationTarget::Kind::Ip;
    t.value = r.identifier;
    t.from = r.ts.addSecs(-3600);
    t.to = r.ts.addSecs(3600);
    t.origin = u"incidents/table"_s;
    Q_EMIT investigateRequested(t);
}

void IncidentsPage::blockSelected()
{
    QList<BlockTarget> targets;
    for (const db::IncidentRow& r : selectedIncidents()) {
        BlockTarget t { r.scope == u"user" ? u"user"_s : BlockDialog::guessTarget(r.identifier),
            r.identifier };
        if (!targets.contains(t))
            targets << t;
    }
    if (targets.isEmpty())
        return;
    // The Blocks page does the blocking, so that its list and messages show the outcome.
    Q_EMIT statusMessage(
        tr("Opening the block dialog for %n identifier(s)…", nullptr, int(targets.size())));
    auto* dialog = new BlockDialog(targets, session()->now(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setReason(tr("abuse incident %1").arg(selectedIncidents().first().id));
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        const BlockRequest request = dialog->request();
        auto* runner = new services::ActionRunner(session(), this);
        QList<services::PendingAction> actions;
        for (const BlockTarget& t : request.targets)
            actions << services::ActionRunner::prepare(tr("Block %1 %2").arg(t.target, t.value),
                [t, request](db::AdminActions& a, const QString& id) {
                    return a.block(id, t.target, t.value, request.reason, request.until);
                });
        runner->runAll(actions, this, [this, runner](const QList<services::ActionOutcome>& out) {
            QStringList lines;
            for (const services::ActionOutcome& o : out)
                lines << o.message;
            m_message->setText(lines.join(u'\n'));
            runner->deleteLater();
            refresh();
        });
    });
    dialog->open();
}

} // namespace qc::ui
