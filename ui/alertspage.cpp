#include "alertspage.h"

#include "models/alertmodel.h"
#include "models/displayformat.h"
#include "models/textfilterproxymodel.h"
#include "services/session.h"
#include "services/settingsstore.h"
#include "ui/acknowledgedialog.h"
#include "ui/reasondialog.h"
#include "ui/reconnectrefresh.h"
#include "ui/roleguard.h"
#include "ui/tablesetup.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::AlertItem;

AlertsPage::AlertsPage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
    , m_monitor(new services::AlertMonitor(context.session, context.settings, this))
    , m_model(new models::AlertModel(this))
    , m_stateProxy(new models::AlertStateProxyModel(this))
    , m_textProxy(new models::TextFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_showResolved(new QCheckBox(tr("Show resolved (24 h)"), this))
    , m_notify(new QCheckBox(tr("Desktop notification for new alerts"), this))
    , m_filter(new QLineEdit(this))
    , m_ack(new QPushButton(tr("Acknowledge…"), this))
    , m_unack(new QPushButton(tr("Un-acknowledge…"), this))
    , m_sources(new QLabel(this))
    , m_message(new QLabel(this))
    , m_details(new QPlainTextEdit(this))
    , m_debounce(new QTimer(this))
{
    m_stateProxy->setSourceModel(m_model);
    m_textProxy->setSourceModel(m_stateProxy);
    m_view->setObjectName(u"alertsTable"_s);
    m_view->setAccessibleName(tr("Alerts"));
    m_view->setModel(m_textProxy);
    setUpTable(m_view, { 100, 80, 200, 340, 150, 170, 220, 150 });
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setSortingEnabled(false); // the monitor's order: firing, most severe, newest
    m_filter->setObjectName(u"alertsFilter"_s);
    m_filter->setAccessibleName(tr("Filter alerts"));
    m_filter->setPlaceholderText(tr("Filter the list"));
    m_filter->setClearButtonEnabled(true);
    m_ack->setObjectName(u"acknowledgeButton"_s);
    m_unack->setObjectName(u"unacknowledgeButton"_s);
    m_notify->setObjectName(u"notifyCheck"_s);
    m_notify->setChecked(context.settings->settings().preferences.trayNotifications);
    m_showResolved->setObjectName(u"showResolved"_s);
    m_sources->setWordWrap(true);
    m_message->setObjectName(u"alertsMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_details->setReadOnly(true);
    m_details->setObjectName(u"alertDetails"_s);
    m_details->setAccessibleName(tr("Alert details"));
    RoleGuard::require(m_ack, context.session, db::QuotaRole::Operator,
        tr("Acknowledge the selected alert with a note"));
    RoleGuard::require(m_unack, context.session, db::QuotaRole::Operator,
        tr("Take the acknowledgement back: the alert fires again"));

    auto* refresh = new QPushButton(tr("Refresh"), this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_ack);
    bar->addWidget(m_unack);
    bar->addSpacing(12);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_showResolved);
    bar->addWidget(refresh);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    auto* head = new QHBoxLayout;
    head->addWidget(new QLabel(tr("<h2>Alerts</h2>"), this));
    head->addStretch(1);
    head->addWidget(m_notify);
    layout->addLayout(head);
    layout->addWidget(m_sources);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_filter, &QLineEdit::textEdited, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, [this] { m_textProxy->setText(m_filter->text()); });
    connect(m_showResolved, &QCheckBox::toggled, this,
        [this](bool on) { m_stateProxy->setOpenOnly(!on); });
    connect(m_notify, &QCheckBox::toggled, this, [this](bool on) {
        this->context().settings->update(
            [on](services::ConsoleSettings& s) { s.preferences.trayNotifications = on; });
    });
    connect(refresh, &QPushButton::clicked, m_monitor, &services::AlertMonitor::refresh);
    connect(m_ack, &QPushButton::clicked, this, &AlertsPage::openAcknowledgeDialog);
    connect(m_unack, &QPushButton::clicked, this, &AlertsPage::openUnacknowledgeDialog);
    connect(m_monitor, &services::AlertMonitor::snapshotChanged, this, &AlertsPage::onSnapshot);
    connect(m_monitor, &services::AlertMonitor::progress, m_message, &QLabel::setText);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        showDetails();
    });
    connect(m_view, &QTableView::doubleClicked, this, [this] {
        const AlertItem* a = current();
        if (!a)
            return;
        services::InvestigationTarget t;
        t.kind = services::InvestigationTarget::Kind::Rule;
        t.value = a->name;
        t.from = a->startsAt.addSecs(-1800);
        t.to = a->endsAt.isValid() ? a->endsAt.addSecs(600) : session()->now();
        t.origin = u"alerts/table"_s;
        Q_EMIT investigateRequested(t);
    });
    updateButtons();
    refreshWhenConnected(this, [this] { m_monitor->refresh(); });
}

AlertsPage::~AlertsPage() = default;

PageDescriptor AlertsPage::descriptor()
{
    return pageDescriptorOf<AlertsPage>(u"alerts"_s, tr("Alerts"),
        tr("The database's and Alertmanager's alerts; acknowledge with a note"),
        u"dialog-information"_s, 50);
}

void AlertsPage::activated()
{
    m_monitor->start();
}

void AlertsPage::deactivated()
{
    m_monitor->stop();
}

void AlertsPage::onSnapshot(const services::AlertSnapshot& s)
{
    const QString keep = m_pendingSelect.isEmpty() ? selectedKey() : m_pendingSelect;
    m_model->resetData(s.items);
    if (!keep.isEmpty() && select(keep) && keep == m_pendingSelect)
        m_pendingSelect.clear();
    if (keep.isEmpty() && m_textProxy->rowCount() > 0)
        m_view->selectRow(0); // something to read in the details right away
    QStringList parts;
    int firing = 0;
    for (const AlertItem& i : s.items)
        firing += i.state == u"firing";
    parts << tr("%n firing", nullptr, firing);
    parts << (s.databaseError.isEmpty()
            ? tr("database: read %1 UTC").arg(models::display::time(s.fetchedAt))
            : tr("database: %1").arg(s.databaseError));
    if (!s.alertmanagerConfigured)
        parts << tr("no Alertmanager in this connection profile");
    else if (!s.alertmanagerError.isEmpty())
        parts << tr("Alertmanager: %1").arg(s.alertmanagerError);
    else
        parts << tr("Alertmanager: %1")
                     .arg(m_monitor->alertmanager()->baseUrl().toDisplayString(
                         QUrl::RemoveUserInfo));
    m_sources->setText(parts.join(u" · "_s));
    m_sources->setStyleSheet(!s.databaseError.isEmpty() || !s.alertmanagerError.isEmpty()
            ? u"color: #b26a00"_s
            : QString());
    updateButtons();
    showDetails();
}

const AlertItem* AlertsPage::current() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    const QModelIndex src = m_stateProxy->mapToSource(m_textProxy->mapToSource(rows.first()));
    return m_model->rowAt(src.row());
}

QString AlertsPage::selectedKey() const
{
    const AlertItem* a = current();
    return a ? a->key : QString();
}

bool AlertsPage::select(const QString& key)
{
    int row = m_model->rowOf(key);
    if (row < 0) {
        m_pendingSelect = key; // selected when it arrives
        return false;
    }
    if (m_model->rows().at(row).state == u"resolved" && !m_showResolved->isChecked())
        m_showResolved->setChecked(true);
    const QModelIndex i
        = m_textProxy->mapFromSource(m_stateProxy->mapFromSource(m_model->index(row, 0)));
    if (!i.isValid()) {
        m_filter->clear();
        m_textProxy->setText({});
        return select(key);
    }
    m_view->selectionModel()->select(
        i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(i);
    return true;
}

QString AlertsPage::lastMessage() const
{
    return m_message->text();
}

void AlertsPage::updateButtons()
{
    const AlertItem* a = current();
    if (!session()->hasRole(db::QuotaRole::Operator))
        return; // RoleGuard says why
    const bool canAck = a && (a->state == u"firing" || a->state == u"silenced")
        && (a->database || m_monitor->alertmanager());
    const bool canUnack = a && a->state == u"acknowledged";
    m_ack->setEnabled(canAck);
    m_unack->setEnabled(canUnack);
    m_ack->setToolTip(
        canAck ? tr("Acknowledge the selected alert with a note") : tr("Select a firing alert"));
    m_unack->setToolTip(canUnack ? tr("Take the acknowledgement back: the alert fires again")
                                 : tr("Select an acknowledged alert"));
}

void AlertsPage::showDetails()
{
    const AlertItem* a = current();
    if (!a) {
        m_details->clear();
        return;
    }
    QStringList lines;
    lines << tr("%1 — %2 (%3), %4").arg(a->name, a->state, a->severity, a->sources());
    if (!a->summary.isEmpty())
        lines << a->summary;
    if (!a->description.isEmpty())
        lines << a->description;
    QStringList labels;
    for (auto it = a->labels.begin(); it != a->labels.end(); ++it)
        labels << it.key() + u"=\""_s + it.value() + u'"';
    lines << tr("Labels: %1").arg(labels.join(u", "_s));
    lines << tr("Since %1 UTC").arg(models::display::time(a->startsAt))
            + (a->endsAt.isValid() ? tr(", resolved %1 UTC").arg(models::display::time(a->endsAt))
                                   : QString());
    if (!a->acknowledgedBy.isEmpty())
        lines << tr("Acknowledged by %1 at %2 UTC: %3")
                     .arg(a->acknowledgedBy, models::display::time(a->acknowledgedAt), a->note);
    for (const metrics::AmSilence& s : a->silences)
        lines << tr("Silence %1 by %2 until %3 UTC: %4")
                     .arg(s.id, s.createdBy, models::display::time(s.endsAt), s.comment);
    m_details->setPlainText(lines.join(u'\n'));
}

void AlertsPage::openAcknowledgeDialog()
{
    const AlertItem* a = current();
    if (!a)
        return;
    const QString key = a->key;
    auto* dialog = new AcknowledgeDialog(tr("%1 (%2): %3").arg(a->name, a->severity, a->summary),
        m_monitor->alertmanager() != nullptr, session()->now(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, dialog, key] { acknowledge(key, dialog->note(), dialog->until()); });
    dialog->open();
}

void AlertsPage::openUnacknowledgeDialog()
{
    const AlertItem* a = current();
    if (!a)
        return;
    const QString key = a->key;
    auto* dialog = new ReasonDialog(tr("Un-acknowledge"),
        tr("%1 will show as firing again and its silence in Alertmanager ends.").arg(a->name),
        tr("Un-acknowledge"), false, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
        [this, dialog, key] { unacknowledge(key, dialog->reason()); });
    dialog->open();
}

void AlertsPage::acknowledge(const QString& key, const QString& note, const QDateTime& until)
{
    const AlertItem* a = m_monitor->snapshot().find(key);
    if (!a) {
        m_message->setText(tr("That alert is no longer in the list."));
        return;
    }
    m_message->setText(tr("Acknowledging %1…").arg(a->name));
    m_monitor->acknowledge(*a, note, until, this, [this](const services::AlertActionOutcome& o) {
        m_message->setText(o.message);
        m_message->setStyleSheet(o.ok ? QString() : u"color: #c62828"_s);
        Q_EMIT statusMessage(o.message);
        Q_EMIT actionFinished(o);
    });
}

void AlertsPage::unacknowledge(const QString& key, const QString& note)
{
    const AlertItem* a = m_monitor->snapshot().find(key);
    if (!a) {
        m_message->setText(tr("That alert is no longer in the list."));
        return;
    }
    m_message->setText(tr("Taking the acknowledgement of %1 back…").arg(a->name));
    m_monitor->unacknowledge(*a, note, this, [this](const services::AlertActionOutcome& o) {
        m_message->setText(o.message);
        m_message->setStyleSheet(o.ok ? QString() : u"color: #c62828"_s);
        Q_EMIT statusMessage(o.message);
        Q_EMIT actionFinished(o);
    });
}

} // namespace qc::ui
