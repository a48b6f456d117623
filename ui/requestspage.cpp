#include "requestspage.h"

#include "models/requestlogmodel.h"
#include "services/databaseworker.h"
#include "services/logging.h"
#include "services/session.h"
#include "ui/reconnectrefresh.h"
#include "ui/requestlogview.h"
#include "ui/timerangeselector.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTimer>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

RequestsPage::RequestsPage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
    , m_range(new TimeRangeSelector(this))
    , m_identifier(new QLineEdit(this))
    , m_endpoint(new QLineEdit(this))
    , m_status(new QLineEdit(this))
    , m_decision(new QComboBox(this))
    , m_reason(new QComboBox(this))
    , m_rule(new QLineEdit(this))
    , m_requestId(new QLineEdit(this))
    , m_problem(new QLabel(this))
    , m_export(new QPushButton(tr("Export CSV…"), this))
    , m_exportBar(new QWidget(this))
    , m_exportProgress(new QProgressBar(m_exportBar))
    , m_exportLabel(new QLabel(m_exportBar))
    , m_exportCancel(new QPushButton(tr("Cancel export"), m_exportBar))
    , m_log(new RequestLogView(context.session, u"requests/page"_s, this))
    , m_debounce(new QTimer(this))
    , m_exportPoll(new QTimer(this))
{
    qRegisterMetaType<db::ExportResult>();
    m_range->setClock([s = context.session] { return s->now(); });
    m_identifier->setObjectName(u"filterIdentifier"_s);
    m_identifier->setAccessibleName(tr("Identifier"));
    m_identifier->setPlaceholderText(tr("IP, network (CIDR) or user id"));
    m_identifier->setClearButtonEnabled(true);
    m_endpoint->setObjectName(u"filterEndpoint"_s);
    m_endpoint->setAccessibleName(tr("Endpoint"));
    m_endpoint->setPlaceholderText(tr("Endpoint (exact, or with * and ?)"));
    m_endpoint->setClearButtonEnabled(true);
    m_status->setObjectName(u"filterStatus"_s);
    m_status->setAccessibleName(tr("Status"));
    m_status->setPlaceholderText(tr("Status"));
    m_status->setValidator(new QIntValidator(100, 599, m_status));
    m_status->setMaximumWidth(80);
    m_decision->setObjectName(u"filterDecision"_s);
    m_decision->addItem(tr("Any decision"), QString());
    m_decision->addItem(tr("Allowed"), u"allowed"_s);
    m_decision->addItem(tr("Denied"), u"denied"_s);
    m_reason->setObjectName(u"filterReason"_s);
    m_reason->addItem(tr("Any reason"), QString());
    for (const QString& r : { u"admitted"_s, u"rate_limited"_s, u"quota_exceeded"_s, u"blocked"_s,
             u"idempotency_conflict"_s, u"idempotent_replay"_s, u"invalid_identifier"_s,
             u"skipped"_s, u"fail_open"_s })
        m_reason->addItem(r, r);
    m_rule->setObjectName(u"filterRule"_s);
    m_rule->setAccessibleName(tr("Rule"));
    m_rule->setPlaceholderText(tr("Rule id"));
    m_rule->setClearButtonEnabled(true);
    m_requestId->setObjectName(u"filterRequestId"_s);
    m_requestId->setAccessibleName(tr("Request id"));
    m_requestId->setPlaceholderText(tr("Request id"));
    m_requestId->setClearButtonEnabled(true);
    m_problem->setObjectName(u"filterProblem"_s);
    m_problem->setStyleSheet(u"color: #c62828"_s);
    m_problem->setWordWrap(true);
    m_export->setObjectName(u"exportCsv"_s);
    m_export->setToolTip(tr("Write the rows of this filter, oldest first, to a CSV file that "
                            "quotactl simulate reads as a trace"));
    m_exportCancel->setObjectName(u"cancelExport"_s);
    m_exportProgress->setRange(0, 1000);

    auto* title = new QLabel(tr("<h2>Requests</h2>"), this);
    auto* refresh = new QPushButton(tr("Refresh"), this);
    refresh->setShortcut(QKeySequence::Refresh);

    auto* firstRow = new QHBoxLayout;
    firstRow->addWidget(m_range);
    firstRow->addWidget(m_identifier, 2);
    firstRow->addWidget(m_endpoint, 2);
    firstRow->addWidget(refresh);
    auto* secondRow = new QHBoxLayout;
    secondRow->addWidget(m_status);
    secondRow->addWidget(m_decision);
    secondRow->addWidget(m_reason);
    secondRow->addWidget(m_rule, 1);
    secondRow->addWidget(m_requestId, 1);
    secondRow->addWidget(m_export);
    auto* filters = new QVBoxLayout;
    filters->addLayout(firstRow);
    filters->addLayout(secondRow);

    auto* exportLayout = new QHBoxLayout(m_exportBar);
    exportLayout->setContentsMargins(0, 0, 0, 0);
    exportLayout->addWidget(m_exportLabel, 1);
    exportLayout->addWidget(m_exportProgress, 1);
    exportLayout->addWidget(m_exportCancel);
    m_exportBar->setVisible(false);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(title);
    layout->addLayout(filters);
    layout->addWidget(m_problem);
    layout->addWidget(m_exportBar);
    layout->addWidget(m_log, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(400);
    connect(m_debounce, &QTimer::timeout, this, &RequestsPage::applyFilter);
    for (QLineEdit* e : { m_identifier, m_endpoint, m_status, m_rule, m_requestId })
        connect(e, &QLineEdit::textEdited, this, &RequestsPage::scheduleApply);
    for (QLineEdit* e : { m_identifier, m_endpoint, m_status, m_rule, m_requestId })
        connect(e, &QLineEdit::returnPressed, this, &RequestsPage::applyFilter);
    connect(m_decision, &QComboBox::currentIndexChanged, this, &RequestsPage::applyFilter);
    connect(m_reason, &QComboBox::currentIndexChanged, this, &RequestsPage::applyFilter);
    connect(m_range, &TimeRangeSelector::rangeChanged, this, &RequestsPage::applyFilter);
    connect(refresh, &QPushButton::clicked, this, &RequestsPage::applyFilter);
    connect(m_export, &QPushButton::clicked, this, &RequestsPage::chooseExportFile);
    connect(m_exportCancel, &QPushButton::clicked, this, &RequestsPage::cancelExport);
    m_exportPoll->setInterval(100);
    connect(m_exportPoll, &QTimer::timeout, this, &RequestsPage::pollExport);
    connect(m_log, &RequestLogView::investigateRequested, this, &Page::investigateRequested);
    refreshWhenConnected(this, [this] {
        if (!m_log->error().isEmpty() || m_log->model()->pagesLoaded() == 0)
            applyFilter();
    });
}

RequestsPage::~RequestsPage()
{
    if (m_exportState)
        m_exportState->cancel = true;
    if (m_exportWorker)
        m_exportWorker->cancel(QString());
}

PageDescriptor RequestsPage::descriptor()
{
    return pageDescriptorOf<RequestsPage>(u"requests"_s, tr("Requests"),
        tr("The request log, filtered on the server; export to CSV"), u"view-list-details"_s, 30);
}

void RequestsPage::activated()
{
    if (!m_applied)
        applyFilter();
}

void RequestsPage::investigate(const services::InvestigationTarget& target)
{
    db::RequestLogFilter f = currentFilter();
    if (target.from.isValid() && target.to.isValid()) {
        f.from = target.from;
        f.to = target.to;
    }
    f.setIdentifier(target.kind == services::InvestigationTarget::Kind::User
            ? u"user:"_s + target.value
            : (target.kind == services::InvestigationTarget::Kind::Ip ? target.value : QString()));
    if (target.kind == services::InvestigationTarget::Kind::Endpoint)
        f.endpoint = target.value;
    setFilter(f);
}

db::RequestLogFilter RequestsPage::currentFilter() const
{
    db::RequestLogFilter f;
    f.from = m_range->from();
    f.to = m_range->to();
    f.setIdentifier(m_identifier->text());
    f.endpoint = m_endpoint->text().trimmed();
    bool ok = false;
    const int status = m_status->text().trimmed().toInt(&ok);
    if (ok)
        f.status = status;
    f.decision = m_decision->currentData().toString();
    f.reason = m_reason->currentData().toString();
    f.rule = m_rule->text();
    f.requestId = m_requestId->text();
    return f;
}

void RequestsPage::setFilter(const db::RequestLogFilter& f)
{
    const QSignalBlocker b1(m_decision);
    const QSignalBlocker b2(m_reason);
    if (f.from.isValid() && f.to.isValid())
        m_range->setRange(f.from, f.to);
    m_identifier->setText(f.identifier());
    m_endpoint->setText(f.endpoint);
    m_status->setText(f.status ? QString::number(*f.status) : QString());
    m_decision->setCurrentIndex(qMax(0, m_decision->findData(f.decision)));
    m_reason->setCurrentIndex(qMax(0, m_reason->findData(f.reason)));
    m_rule->setText(f.rule);
    m_requestId->setText(f.requestId);
    applyFilter();
}

QString RequestsPage::filterProblem() const
{
    return m_problem->text();
}

void RequestsPage::scheduleApply()
{
    m_debounce->start();
}

void RequestsPage::applyFilter()
{
    m_debounce->stop();
    m_applied = true;
    const db::RequestLogFilter f = currentFilter();
    const QString problem = db::validateFilter(f);
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
    if (!problem.isEmpty())
        return; // keep the rows of the last good filter
    m_log->setFilter(f);
}

void RequestsPage::chooseExportFile()
{
    if (m_exporting)
        return;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString name
        = u"requests-"_s + session()->now().toString(u"yyyyMMdd-HHmmss"_s) + u".csv"_s;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export requests to CSV"), dir + u'/' + name, tr("CSV files (*.csv)"));
    if (!path.isEmpty())
        startExport(path);
}

void RequestsPage::startExport(const QString& path)
{
    if (m_exporting)
        return;
    const db::RequestLogFilter filter = currentFilter();
    if (const QString problem = db::validateFilter(filter); !problem.isEmpty()) {
        m_problem->setText(problem);
        m_problem->setVisible(true);
        return;
    }
    m_exportWorker = session()->openReaderConnection(u"export"_s);
    if (!m_exportWorker)
        return;
    m_exporting = true;
    m_exportPath = path;
    m_export->setEnabled(false);
    m_exportBar->setVisible(true);
    m_exportProgress->setValue(0);
    m_exportLabel->setText(tr("Connecting for the export to %1…").arg(path));
    // Shared with the export job: only atomics cross the threads; the page polls them.
    m_exportState = std::make_shared<ExportState>();
    const std::shared_ptr<ExportState> state = m_exportState;
    services::logger()->info("export of requests to {} started", services::toLog(path));

    services::DatabaseWorker* worker = m_exportWorker.get();
    auto post = [this, worker, filter, path, state] {
        m_exportLabel->setText(tr("Exporting to %1…").arg(path));
        m_exportPoll->start();
        // No channel: a cancel must stop the query but still deliver the answer (cancelled).
        worker->post<db::ExportResult>(
            QString(), this,
            [filter, path, state](QSqlDatabase& db) {
                db::ExportResult result;
                QSaveFile file(path);
                if (!file.open(QIODevice::WriteOnly)) {
                    result.error
                        = QCoreApplication::translate("qc::ui::RequestsPage", "cannot write %1: %2")
                              .arg(path, file.errorString());
                    return result;
                }
                result = db::exportRequestLogCsv(
                    db, filter, file,
                    [state](const db::ExportProgress& p) {
                        state->rows = p.rows;
                        state->permille = int(p.fraction * 1000);
                        return !state->cancel.load();
                    },
                    &state->cancel);
                if (result.ok() && !state->cancel.load()) {
                    if (!file.commit())
                        result.error = QCoreApplication::translate(
                            "qc::ui::RequestsPage", "cannot write %1: %2")
                                           .arg(path, file.errorString());
                } else {
                    if (result.ok())
                        result.cancelled = true; // cancelled after the last row
                    file.cancelWriting(); // nothing half-written is left behind
                }
                return result;
            },
            [this, path](const services::JobOutcome<db::ExportResult>& o) {
                db::ExportResult r = o.value;
                if (!o.ran())
                    r.error = o.error;
                finishExport(r, path);
            });
    };
    connect(worker, &services::DatabaseWorker::stateChanged, this,
        [this, worker, post](const services::ConnectionState& s) {
            if (!m_exporting || worker != m_exportWorker.get())
                return;
            if (s.isConnected()) {
                disconnect(worker, &services::DatabaseWorker::stateChanged, this, nullptr);
                if (m_exportState->cancel.load()) {
                    db::ExportResult r;
                    r.cancelled = true;
                    finishExport(r, m_exportPath);
                    return;
                }
                post();
            } else if (s.status == services::ConnectionState::Status::Failed
                || s.status == services::ConnectionState::Status::Reconnecting) {
                disconnect(worker, &services::DatabaseWorker::stateChanged, this, nullptr);
                db::ExportResult r;
                r.error = tr("cannot connect for the export: %1").arg(s.error);
                finishExport(r, m_exportPath);
            }
        });
    worker->start();
}

void RequestsPage::pollExport()
{
    if (!m_exportState)
        return;
    const qint64 rows = m_exportState->rows.load();
    const int permille = m_exportState->permille.load();
    if (rows == m_lastExportRows)
        return;
    m_lastExportRows = rows;
    m_exportProgress->setValue(permille);
    m_exportLabel->setText(
        tr("Exporting to %1… %n row(s) written", nullptr, int(rows)).arg(m_exportPath));
    Q_EMIT exportProgress(rows, double(permille) / 1000.0);
}

void RequestsPage::cancelExport()
{
    if (!m_exporting || !m_exportState)
        return;
    m_exportState->cancel = true;
    if (m_exportWorker)
        m_exportWorker->cancel(QString()); // the export's running query (its only one)
    m_exportLabel->setText(tr("Cancelling the export…"));
}

void RequestsPage::finishExport(const db::ExportResult& result, const QString& path)
{
    if (!m_exporting)
        return;
    m_exporting = false;
    m_exportPoll->stop();
    pollExport();
    m_lastExportRows = -1;
    m_export->setEnabled(true);
    m_exportBar->setVisible(false);
    // The worker closes its connection in its own thread; never delete it inside its call.
    if (m_exportWorker)
        m_exportWorker.release()->deleteLater();
    m_exportState.reset();
    QString text;
    if (result.cancelled)
        text = tr("Export cancelled; no file was written.");
    else if (!result.error.isEmpty())
        text = tr("Export failed: %1").arg(result.error);
    else
        text = tr("Exported %n row(s) to %1.", nullptr, int(result.rows)).arg(path);
    services::logger()->info("export of requests: {}", services::toLog(text));
    Q_EMIT statusMessage(text);
    if (!result.error.isEmpty()) {
        m_problem->setText(text);
        m_problem->setVisible(true);
    }
    Q_EMIT exportFinished(result, path);
}

} // namespace qc::ui
