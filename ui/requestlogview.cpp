#include "requestlogview.h"

#include "models/displayformat.h"
#include "models/requestlogmodel.h"
#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/session.h"
#include "ui/reconnectrefresh.h"

#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QTableView>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::InvestigationTarget;

RequestLogView::RequestLogView(services::Session* session, const QString& channel, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_channel(channel)
    , m_model(new models::RequestLogModel(this))
    , m_view(new QTableView(this))
    , m_status(new QLabel(this))
{
    m_view->setObjectName(u"requestTable"_s);
    m_view->setAccessibleName(tr("Requests"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->verticalHeader()->hide();
    // Rows are a fixed height: the view never measures row contents of a huge table.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView* header = m_view->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->setHighlightSections(false);
    for (int c = 0; c < m_model->columnCount(); ++c)
        header->resizeSection(c, models::RequestLogModel::defaultWidth(c));
    m_status->setObjectName(u"requestStatus"_s);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);

    connect(m_model, &models::RequestLogModel::fetchRequested, this, &RequestLogView::fetchPage);
    connect(m_view, &QTableView::customContextMenuRequested, this, &RequestLogView::showMenu);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const db::RequestLogRow* r = m_model->rowAt(index.row());
        if (!r)
            return;
        InvestigationTarget t;
        t.origin = u"requests/table"_s;
        t.from = r->ts.addSecs(-3600);
        t.to = r->ts.addSecs(3600);
        if (index.column() == models::RequestLogModel::User && !r->userId.isEmpty()) {
            t.kind = InvestigationTarget::Kind::User;
            t.value = r->userId;
        } else if (index.column() == models::RequestLogModel::Endpoint) {
            t.kind = InvestigationTarget::Kind::Endpoint;
            t.value = r->endpoint;
        } else if (!r->ip.isEmpty()) {
            t.kind = InvestigationTarget::Kind::Ip;
            t.value = r->ip;
        } else {
            return;
        }
        Q_EMIT investigateRequested(t);
    });
    updateStatus();
}

RequestLogView::~RequestLogView() = default;

void RequestLogView::clear()
{
    ++m_generation;
    if (m_session && m_session->reader())
        m_session->reader()->cancel(m_channel);
    m_model->clear(m_generation);
    m_error.clear();
    updateStatus();
}

void RequestLogView::setFilter(const db::RequestLogFilter& filter, int pageRows)
{
    m_filter = filter;
    m_pageRows = qMax(20, pageRows);
    const quint64 generation = ++m_generation;
    m_model->clear(generation);
    m_error.clear();
    m_status->setText(tr("Reading…"));
    if (!m_session || !m_session->reader())
        return;
    const int rows = m_pageRows;
    m_session->reader()->post<db::RequestLogPage>(
        m_channel, this,
        [filter, rows](QSqlDatabase& db) { return db::fetchRequestLogPage(db, filter, {}, rows); },
        [this, generation](const services::JobOutcome<db::RequestLogPage>& o) {
            if (generation != m_generation)
                return;
            const QString error = readProblem(o.ran(), o.error, o.value.error);
            if (!error.isEmpty()) {
                m_error = error;
                services::logger()->warn("request log: {}", services::toLog(error));
                updateStatus();
                Q_EMIT failed(error);
                return;
            }
            m_lastQueryMs = o.value.queryMs;
            m_model->resetPage(o.value, generation);
            updateStatus();
            Q_EMIT pageLoaded(int(o.value.rows.size()), o.value.queryMs);
        });
}

void RequestLogView::showFirstPage(
    const db::RequestLogFilter& filter, const db::RequestLogPage& page)
{
    m_filter = filter;
    m_pageRows = qMax(20, int(page.rows.size()));
    const quint64 generation = ++m_generation;
    m_error.clear();
    m_lastQueryMs = page.queryMs;
    m_model->resetPage(page, generation);
    updateStatus();
}

void RequestLogView::fetchPage(const db::RequestLogKey& after, quint64 generation)
{
    if (!m_session || !m_session->reader() || generation != m_generation) {
        m_model->fetchFailed(generation);
        return;
    }
    const db::RequestLogFilter filter = m_filter;
    const int rows = m_pageRows;
    m_status->setText(tr("%n row(s) loaded; reading more…", nullptr, m_model->rowCount()));
    m_session->reader()->post<db::RequestLogPage>(
        m_channel + u"/more"_s, this,
        [filter, after, rows](
            QSqlDatabase& db) { return db::fetchRequestLogPage(db, filter, after, rows); },
        [this, generation](const services::JobOutcome<db::RequestLogPage>& o) {
            const QString error = readProblem(o.ran(), o.error, o.value.error);
            if (!error.isEmpty()) {
                m_model->fetchFailed(generation);
                m_error = error;
                updateStatus();
                Q_EMIT failed(error);
                return;
            }
            m_lastQueryMs = o.value.queryMs;
            m_model->appendPage(o.value, generation);
            updateStatus();
            Q_EMIT pageLoaded(int(o.value.rows.size()), o.value.queryMs);
        });
}

void RequestLogView::updateStatus()
{
    if (!m_error.isEmpty()) {
        m_status->setText(tr("Could not read the requests: %1").arg(m_error));
        m_status->setStyleSheet(u"color: #c62828"_s);
        return;
    }
    m_status->setStyleSheet(QString());
    const int n = m_model->rowCount();
    if (m_model->pagesLoaded() == 0) {
        m_status->clear();
        return;
    }
    if (n == 0) {
        m_status->setText(tr("No requests match."));
        return;
    }
    m_status->setText(m_model->hasMore()
            ? tr("%n newest row(s) shown (last page %1 ms); scroll for older ones.", nullptr, n)
                  .arg(m_lastQueryMs)
            : tr("All %n matching row(s) shown.", nullptr, n));
}

QList<db::RequestLogRow> RequestLogView::selectedRows() const
{
    QList<db::RequestLogRow> out;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        if (const db::RequestLogRow* r = m_model->rowAt(i.row()))
            out.append(*r);
    return out;
}

void RequestLogView::showMenu(const QPoint& pos)
{
    const QModelIndex index = m_view->indexAt(pos);
    const db::RequestLogRow* found = m_model->rowAt(index.row());
    if (!found)
        return;
    const db::RequestLogRow row = *found; // the model may change while the menu is open
    const db::RequestLogRow* r = &row;
    QMenu menu(this);
    const auto investigate = [this, r](InvestigationTarget::Kind kind, const QString& value) {
        InvestigationTarget t;
        t.kind = kind;
        t.value = value;
        t.from = r->ts.addSecs(-3600);
        t.to = r->ts.addSecs(3600);
        t.origin = u"requests/menu"_s;
        Q_EMIT investigateRequested(t);
    };
    if (!r->ip.isEmpty())
        menu.addAction(tr("Investigate IP %1").arg(r->ip),
            [=] { investigate(InvestigationTarget::Kind::Ip, r->ip); });
    if (!r->userId.isEmpty())
        menu.addAction(tr("Investigate user %1").arg(r->userId),
            [=] { investigate(InvestigationTarget::Kind::User, r->userId); });
    menu.addAction(tr("Investigate endpoint %1").arg(r->endpoint),
        [=] { investigate(InvestigationTarget::Kind::Endpoint, r->endpoint); });
    menu.addSeparator();
    const QString cell = index.data().toString();
    menu.addAction(
        tr("Copy “%1”").arg(cell.left(40)), [cell] { QApplication::clipboard()->setText(cell); });
    menu.exec(m_view->viewport()->mapToGlobal(pos));
}

} // namespace qc::ui
