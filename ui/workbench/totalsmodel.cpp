#include "totalsmodel.h"

#include "displayformat.h"

#include <QBrush>
#include <QColor>
#include <QFont>

using namespace Qt::StringLiterals;

namespace qc::workbench {

namespace {

QString reasonName(int reason)
{
    return QString::fromLatin1(enforcement::toString(static_cast<enforcement::Reason>(reason)));
}

std::int64_t diff(std::uint64_t candidate, std::uint64_t baseline)
{
    return static_cast<std::int64_t>(candidate) - static_cast<std::int64_t>(baseline);
}

} // namespace

TotalsModel::TotalsModel(QObject* parent)
    : QAbstractTableModel(parent)
{
}

void TotalsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void TotalsModel::resetData(const simulation::Report& report)
{
    beginResetModel();
    m_rows.clear();
    m_baselineName = report.baseline.name;
    m_candidateName = report.candidate.name;
    const simulation::PolicyTotals& b = report.baseline;
    const simulation::PolicyTotals& c = report.candidate;
    auto counts
        = [this](const QString& label, std::uint64_t vb, std::uint64_t vc, bool indent, int sign) {
              const std::int64_t d = diff(vc, vb);
              m_rows.push_back(Row { label, countText(vb), countText(vc), signedCountText(d),
                  d == 0 ? 0 : (d > 0 ? sign : -sign), indent });
          };
    counts(tr("Requests"), b.requests, c.requests, false, 0);
    counts(tr("Allowed"), b.allowed, c.allowed, false, 0);
    const std::int64_t deniedDiff = diff(c.denied, b.denied);
    m_rows.push_back(
        Row { tr("Denied"), countText(b.denied) % u" ("_s % shareText(b.denied, b.requests) % u')',
            countText(c.denied) % u" ("_s % shareText(c.denied, c.requests) % u')',
            signedCountText(deniedDiff), deniedDiff == 0 ? 0 : (deniedDiff > 0 ? 1 : -1), false });
    for (int r = 0; r < enforcement::kReasonCount; ++r) {
        const auto i = static_cast<std::size_t>(r);
        if (static_cast<enforcement::Reason>(r) == enforcement::Reason::Admitted)
            continue;
        if (b.byReason[i] != 0 || c.byReason[i] != 0)
            counts(reasonName(r), b.byReason[i], c.byReason[i], true, 0);
    }
    // Shadow rules: what they would have denied, by rule, under either policy.
    QStringList shadowRules;
    for (const auto* totals : { &b, &c }) {
        for (const simulation::NamedCount& w : totals->wouldDenyByRule) {
            if (!shadowRules.contains(w.name))
                shadowRules.push_back(w.name);
        }
    }
    auto countOf = [](const QList<simulation::NamedCount>& list, const QString& name) {
        for (const simulation::NamedCount& entry : list) {
            if (entry.name == name)
                return entry.count;
        }
        return std::uint64_t(0);
    };
    for (const QString& rule : shadowRules) {
        const std::uint64_t vb = countOf(b.wouldDenyByRule, rule);
        const std::uint64_t vc = countOf(c.wouldDenyByRule, rule);
        if (vb != 0 || vc != 0)
            counts(tr("would deny (shadow %1)").arg(rule), vb, vc, true, 0);
    }
    const enforcement::MicroUsd costDiff = c.costAdmitted - b.costAdmitted;
    m_rows.push_back(Row { tr("Cost admitted"), moneyText(b.costAdmitted),
        moneyText(c.costAdmitted), (costDiff > 0 ? u"+"_s : QString()) % moneyText(costDiff),
        costDiff == 0 ? 0 : (costDiff > 0 ? 1 : -1), false });
    counts(tr("Idempotency collisions"), b.collisions, c.collisions, false, 0);
    counts(tr("Abuse incidents"), b.incidents, c.incidents, false, 0);
    endResetModel();
}

int TotalsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int TotalsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : 4;
}

QVariant TotalsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Row& row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Measure:
            return row.indent ? QString(u"    "_s % row.measure) : row.measure;
        case Baseline:
            return row.baseline;
        case Candidate:
            return row.candidate;
        case Change:
            return row.change;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() != Measure)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Change && row.direction != 0)
            return QBrush(row.direction > 0 ? QColor(0xb3, 0x26, 0x1e) : QColor(0x2e, 0x7d, 0x32));
        return {};
    case Qt::FontRole:
        if (!row.indent) {
            QFont font;
            font.setBold(index.column() == Measure);
            return font;
        }
        return {};
    default:
        return {};
    }
}

QVariant TotalsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole) {
        if (section == Baseline)
            return m_baselineName;
        if (section == Candidate)
            return m_candidateName;
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Measure:
        return QString();
    case Baseline:
        return tr("Baseline");
    case Candidate:
        return tr("Candidate");
    case Change:
        return tr("Change");
    }
    return {};
}

} // namespace qc::workbench
