#include "sweepwidget.h"

#include "simulationcharts.h"
#include "workbench/displayformat.h"
#include "workbench/sweeppointmodel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QThread>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qc::ui {

SweepWidget::SweepWidget(QWidget* parent)
    : QWidget(parent)
    , m_parameter(new QComboBox(this))
    , m_from(new QLineEdit(this))
    , m_to(new QLineEdit(this))
    , m_step(new QLineEdit(this))
    , m_count(new QLabel(this))
    , m_run(new QPushButton(QIcon::fromTheme(u"media-playback-start"_s), tr("Run sweep"), this))
    , m_apply(new QPushButton(tr("Use this value in the candidate"), this))
    , m_chart(new QChartView(this))
    , m_view(new QTableView(this))
    , m_model(new workbench::SweepPointModel(this))
{
    m_parameter->setObjectName(u"sweepParameter"_s);
    m_from->setObjectName(u"sweepFrom"_s);
    m_from->setAccessibleName(tr("From"));
    m_to->setObjectName(u"sweepTo"_s);
    m_to->setAccessibleName(tr("To"));
    m_step->setObjectName(u"sweepStep"_s);
    m_step->setAccessibleName(tr("Step"));
    m_run->setObjectName(u"sweepRun"_s);
    m_apply->setObjectName(u"sweepApply"_s);
    m_parameter->setMinimumContentsLength(28);
    m_parameter->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    for (QLineEdit* e : { m_from, m_to, m_step })
        e->setMaximumWidth(90);
    m_apply->setEnabled(false);
    m_apply->setToolTip(tr("Set the swept parameter of the candidate to the selected value"));

    auto* row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Vary"), this));
    row->addWidget(m_parameter, 1);
    row->addWidget(new QLabel(tr("from"), this));
    row->addWidget(m_from);
    row->addWidget(new QLabel(tr("to"), this));
    row->addWidget(m_to);
    row->addWidget(new QLabel(tr("step"), this));
    row->addWidget(m_step);
    row->addWidget(m_count);
    row->addWidget(m_run);

    m_chart->setObjectName(u"sweepChart"_s);
    m_chart->setRenderHint(QPainter::Antialiasing);
    m_chart->setMinimumHeight(240);
    m_chart->setChart(new QChart);
    m_view->setObjectName(u"sweepPoints"_s);
    m_view->setAccessibleName(tr("Sweep points"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 6);
    m_view->setAlternatingRowColors(true);
    // At most a thousand rows: sizing to the contents is cheap here.
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setStretchLastSection(false);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        m_apply->setEnabled(m_candidate && m_model->pointAt(m_view->currentIndex().row()));
    });
    connect(m_view, &QTableView::doubleClicked, this, &SweepWidget::applySelected);
    connect(m_apply, &QPushButton::clicked, this, &SweepWidget::applySelected);

    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_chart);
    split->addWidget(m_view);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto* bottom = new QHBoxLayout;
    auto* note = new QLabel(tr("Legitimate: clients and users that raised no abuse incident under "
                               "the baseline; abusive: those that did (docs/simulation.md)."),
        this);
    note->setWordWrap(true);
    note->setStyleSheet(u"color: palette(placeholder-text);"_s);
    bottom->addWidget(note, 1);
    bottom->addWidget(m_apply);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(row);
    layout->addWidget(split, 1);
    layout->addLayout(bottom);

    connect(m_parameter, &QComboBox::currentIndexChanged, this, &SweepWidget::parameterChanged);
    for (QLineEdit* e : { m_from, m_to, m_step })
        connect(e, &QLineEdit::textChanged, this, &SweepWidget::updateCount);
    connect(m_run, &QPushButton::clicked, this, &SweepWidget::runRequested);
    setCandidate(nullptr);
}

SweepWidget::~SweepWidget() = default;

void SweepWidget::setCandidate(const enforcement::Policy* candidate)
{
    m_candidate = candidate;
    const QString current = m_parameter->currentData().toString();
    m_choices = candidate ? workbench::sweepChoices(*candidate) : QList<workbench::SweepChoice>();
    const QSignalBlocker block(m_parameter);
    m_parameter->clear();
    for (const workbench::SweepChoice& c : std::as_const(m_choices))
        m_parameter->addItem(c.label, c.parameter.path());
    m_parameter->setEnabled(!m_choices.isEmpty());
    const int at = m_parameter->findData(current);
    if (at >= 0) {
        m_parameter->setCurrentIndex(at);
    } else {
        m_parameter->setCurrentIndex(m_choices.isEmpty() ? -1 : 0);
        parameterChanged();
    }
    if (!m_pendingSpec.isEmpty() && candidate) {
        const QString pending = m_pendingSpec;
        m_pendingSpec.clear();
        setSpecText(pending);
    }
    updateCount();
}

void SweepWidget::parameterChanged()
{
    const int i = m_parameter->currentIndex();
    if (i < 0 || i >= m_choices.size()) {
        for (QLineEdit* e : { m_from, m_to, m_step })
            e->clear();
        return;
    }
    const workbench::SweepChoice& c = m_choices.at(i);
    m_from->setText(c.parameter.formatValue(c.from));
    m_to->setText(c.parameter.formatValue(c.to));
    m_step->setText(c.parameter.formatValue(c.step));
    updateCount();
}

QString SweepWidget::specText() const
{
    const QString path = m_parameter->currentData().toString();
    if (path.isEmpty())
        return m_pendingSpec;
    return path % u'=' % m_from->text().trimmed() % u':' % m_to->text().trimmed() % u':'
        % m_step->text().trimmed();
}

void SweepWidget::setSpecText(const QString& text)
{
    const qsizetype eq = text.indexOf(u'=');
    if (eq < 0)
        return;
    const QString path = text.left(eq);
    const QStringList range = text.mid(eq + 1).split(u':');
    if (!m_candidate) {
        m_pendingSpec = text;
        return;
    }
    QString error;
    const auto parameter = simulation::parseSweepParameter(path, *m_candidate, &error);
    const int at = parameter ? m_parameter->findData(parameter->path()) : -1;
    if (at < 0) {
        m_pendingSpec = text;
        return;
    }
    m_parameter->setCurrentIndex(at);
    if (range.size() == 3) {
        m_from->setText(range.at(0));
        m_to->setText(range.at(1));
        m_step->setText(range.at(2));
    }
    updateCount();
}

std::optional<simulation::SweepSpec> SweepWidget::spec(QString* error) const
{
    if (!m_candidate) {
        *error = tr("The candidate is not a valid policy; fix it first.");
        return std::nullopt;
    }
    if (m_parameter->currentIndex() < 0) {
        *error = tr("The candidate has no number to sweep.");
        return std::nullopt;
    }
    return simulation::parseSweepSpec(specText(), *m_candidate, error);
}

void SweepWidget::updateCount()
{
    QString error;
    const auto s = m_candidate && m_parameter->currentIndex() >= 0
        ? simulation::parseSweepSpec(specText(), *m_candidate, &error)
        : std::nullopt;
    if (s) {
        const int cores = std::max(1, QThread::idealThreadCount());
        m_count->setText(
            tr("%n run(s) on %1 core(s)", nullptr, static_cast<int>(s->values.size())).arg(cores));
        m_count->setStyleSheet(QString());
        m_count->setToolTip(QString());
    } else {
        m_count->setText(m_candidate ? tr("invalid range") : QString());
        m_count->setStyleSheet(u"color: #b3261e;"_s);
        m_count->setToolTip(error);
    }
}

void SweepWidget::setRunEnabled(bool enabled, const QString& why)
{
    m_run->setEnabled(enabled);
    m_run->setToolTip(why);
}

void SweepWidget::setResult(const simulation::SweepResult& result)
{
    m_result = result;
    m_model->resetData(result);
    QChart* chart = makeSweepChart(result);
    m_chart->setChart(chart);
    // A click on a point of a series selects its row.
    const QList<QAbstractSeries*> series = chart->series();
    for (QAbstractSeries* s : series) {
        if (auto* line = qobject_cast<QLineSeries*>(s)) {
            connect(line, &QLineSeries::clicked, this, [this](const QPointF& point) {
                if (!m_result)
                    return;
                double best = 1e300;
                std::int64_t value = 0;
                for (const simulation::SweepPoint& p : m_result->points) {
                    const double d = std::abs(sweepAxisValue(*m_result, p.value) - point.x());
                    if (d < best) {
                        best = d;
                        value = p.value;
                    }
                }
                selectValue(value);
            });
        }
    }
    selectValue(result.candidateValue);
}

void SweepWidget::clear()
{
    m_result.reset();
    m_model->clear();
    m_chart->setChart(new QChart);
    m_apply->setEnabled(false);
}

void SweepWidget::selectValue(std::int64_t value)
{
    for (int row = 1; row < m_model->rowCount(); ++row) {
        if (m_model->pointAt(row)->value == value) {
            m_view->setCurrentIndex(m_model->index(row, 0));
            m_view->scrollTo(m_model->index(row, 0));
            return;
        }
    }
}

void SweepWidget::applySelected()
{
    const simulation::SweepPoint* point = m_model->pointAt(m_view->currentIndex().row());
    if (!point || !m_result)
        return;
    Q_EMIT applyRequested(m_result->parameter, point->value);
}

} // namespace qc::ui
