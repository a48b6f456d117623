#include "auditpage.h"

#include "models/auditmodel.h"
#include "models/displayformat.h"
#include "services/databaseworker.h"
#include "services/session.h"
#include "ui/reconnectrefresh.h"
#include "ui/tablesetup.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QJsonDocument>
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

AuditPage::AuditPage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
    , m_chain(new QLabel(this))
    , m_actor(new QLineEdit(this))
    , m_action(new QLineEdit(this))
    , m_target(new QLineEdit(this))
    , m_model(new models::AuditModel(this))
    , m_diff(new models::JsonDiffModel(this))
    , m_view(new QTableView(this))
    , m_diffView(new QTableView(this))
    , m_detail(new QPlainTextEdit(this))
    , m_message(new QLabel(this))
    , m_debounce(new QTimer(this))
{
    m_chain->setObjectName(u"auditChain"_s);
    m_chain->setWordWrap(true);
    m_chain->setTextFormat(Qt::RichText);
    m_chain->setMargin(8);
    m_chain->setAutoFillBackground(true);
    m_actor->setObjectName(u"auditActor"_s);
    m_actor->setAccessibleName(tr("Actor"));
    m_actor->setPlaceholderText(tr("Who (role)"));
    m_action->setObjectName(u"auditAction"_s);
    m_action->setAccessibleName(tr("Action"));
    m_action->setPlaceholderText(tr("What (e.g. block, change_plan)"));
    m_target->setObjectName(u"auditTarget"_s);
    m_target->setAccessibleName(tr("Target"));
    m_target->setPlaceholderText(tr("Target contains (e.g. user:u42, ip:203.0.113.7)"));
    for (QLineEdit* e : { m_actor, m_action, m_target })
        e->setClearButtonEnabled(true);

    m_view->setObjectName(u"auditTable"_s);
    m_view->setAccessibleName(tr("Audit log"));
    m_view->setModel(m_model);
    setUpTable(m_view, { 50, 150, 110, 160, 200, 240, 380, 120 });
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_diffView->setObjectName(u"auditDiff"_s);
    m_diffView->setAccessibleName(tr("Before and after"));
    m_diffView->setModel(m_diff);
    setUpTable(m_diffView, { 180, 320 });
    m_detail->setReadOnly(true);
    m_detail->setObjectName(u"auditDetail"_s);
    m_detail->setAccessibleName(tr("Audit entry"));
    m_detail->setMaximumHeight(90);
    m_message->setWordWrap(true);

    auto* refresh = new QPushButton(tr("Refresh and verify"), this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_actor);
    bar->addWidget(m_action);
    bar->addWidget(m_target, 1);
    bar->addWidget(refresh);
    auto* details = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(details);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_detail);
    detailLayout->addWidget(m_diffView, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<h2>Audit log</h2>"), this));
    layout->addWidget(m_chain);
    layout->addLayout(bar);
    layout->addWidget(m_message);
    layout->addWidget(split, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400);
    for (QLineEdit* e : { m_actor, m_action, m_target })
        connect(e, &QLineEdit::textEdited, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &AuditPage::refresh);
    connect(refresh, &QPushButton::clicked, this, &AuditPage::refresh);
    connect(m_model, &models::AuditModel::fetchRequested, this, &AuditPage::fetchMore);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (const db::AuditEntry* e = m_model->rowAt(current.row()))
                showEntry(e->id);
        });
    refreshWhenConnected(this, [this] { this->refresh(); });
}

AuditPage::~AuditPage() = default;

PageDescriptor AuditPage::descriptor()
{
    return pageDescriptorOf<AuditPage>(u"audit"_s, tr("Audit"),
        tr("Who did what, when and why; the hash chain verified"), u"document-properties"_s, 70);
}

void AuditPage::activated()
{
    refresh();
}

db::AuditFilter AuditPage::filter() const
{
    db::AuditFilter f;
    f.actor = m_actor->text().trimmed();
    f.action = m_action->text().trimmed();
    f.target = m_target->text().trimmed();
    f.limit = 300;
    return f;
}

void AuditPage::refresh()
{
    if (!session() || !session()->reader())
        return;
    const db::AuditFilter f = filter();
    const quint64 generation = ++m_generation;
    session()->reader()->post<db::AuditPage>(
        u"audit/page"_s, this, [f](QSqlDatabase& db) { return db::readAuditLog(db, f, true); },
        [this, generation](const services::JobOutcome<db::AuditPage>& o) {
            const QString error = readProblem(o.ran(), o.error, o.value.error);
            if (!error.isEmpty()) {
                m_message->setText(tr("Could not read the audit log: %1").arg(error));
                return;
            }
            m_message->clear();
            m_model->resetPage(o.value, generation);
            showChain(o.value);
            if (m_model->rowCount() > 0)
                m_view->selectRow(0); // its before/after right away
            Q_EMIT refreshed();
        });
}

void AuditPage::fetchMore(qint64 beforeId, quint64 generation)
{
    db::AuditFilter f = filter();
    f.beforeId = beforeId;
    session()->reader()->post<db::AuditPage>(
        u"audit/more"_s, this, [f](QSqlDatabase& db) { return db::readAuditLog(db, f, false); },
        [this, generation](const services::JobOutcome<db::AuditPage>& o) {
            const QString error = readProblem(o.ran(), o.error, o.value.error);
            if (!error.isEmpty()) {
                m_model->fetchFailed(generation);
                m_message->setText(tr("Could not read the audit log: %1").arg(error));
                return;
            }
            m_model->appendPage(o.value, generation);
        });
}

void AuditPage::showChain(const db::AuditPage& page)
{
    if (!page.verified)
        return;
    QPalette p = m_chain->palette();
    if (page.brokenAt) {
        m_intact = false;
        m_chain->setText(tr("<b>⚠ The audit log does not verify.</b> Row %1 (or the row before "
                            "it) was changed, deleted or inserted outside the audited "
                            "functions: its hash does not match the chain. Treat the entries "
                            "from row %1 on as untrustworthy and tell whoever administers the "
                            "database.")
                             .arg(*page.brokenAt));
        p.setColor(QPalette::Window, QColor(0xc6, 0x28, 0x28));
        p.setColor(QPalette::WindowText, Qt::white);
    } else {
        m_intact = true;
        m_chain->setText(tr("✓ The hash chain of the audit log verifies (checked %1 UTC by "
                            "quota.verify_audit_chain()).")
                             .arg(models::display::time(QDateTime::currentDateTimeUtc())));
        p.setColor(QPalette::Window, QColor(0xe8, 0xf5, 0xe9));
        p.setColor(QPalette::WindowText, QColor(0x1b, 0x5e, 0x20));
    }
    m_chain->setPalette(p);
}

QString AuditPage::chainText() const
{
    return m_chain->text();
}

void AuditPage::showEntry(qint64 id)
{
    const int row = m_model->rowOf(id);
    const db::AuditEntry* e = m_model->rowAt(row);
    if (!e)
        return;
    m_detail->setPlainText(
        tr("#%1 · %2 UTC · %3 · %4 %5\nWhy: %6\nClient action id: %7\nResult: %8")
            .arg(e->id)
            .arg(models::display::time(e->ts), e->actor, e->action, e->target,
                e->reason.isEmpty() ? tr("(no reason given)") : e->reason, e->clientActionId,
                QString::fromUtf8(QJsonDocument(e->result).toJson(QJsonDocument::Compact))));
    m_diff->setEntry(*e);
}

} // namespace qc::ui
