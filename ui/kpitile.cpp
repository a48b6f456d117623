#include "kpitile.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::thresholds::Level;

namespace {

bool isDark(const QPalette& p)
{
    return p.color(QPalette::Window).lightness() < 128;
}

// Readable on the palette's window colour: darker shades on light themes, lighter on dark.
QColor levelColor(Level level, bool dark)
{
    switch (level) {
    case Level::Critical:
        return dark ? QColor(0xff, 0x6b, 0x5e) : QColor(0xc6, 0x28, 0x28);
    case Level::Warning:
        return dark ? QColor(0xff, 0xc1, 0x4d) : QColor(0xb2, 0x6a, 0x00);
    case Level::Ok:
        return dark ? QColor(0x6f, 0xcf, 0x7f) : QColor(0x2e, 0x7d, 0x32);
    case Level::None:
        break;
    }
    return dark ? QColor(0x80, 0x80, 0x80) : QColor(0xa0, 0xa0, 0xa0);
}

QLabel* smallLabel(QWidget* parent, const QString& name)
{
    auto* l = new QLabel(parent);
    l->setObjectName(name);
    QFont f = l->font();
    f.setPointSizeF(f.pointSizeF() * 0.9);
    l->setFont(f);
    l->setWordWrap(true);
    return l;
}

} // namespace

KpiTile::KpiTile(QWidget* parent)
    : QFrame(parent)
    , m_stripe(new QWidget(this))
    , m_title(smallLabel(this, u"title"_s))
    , m_figure(new QLabel(this))
    , m_trend(smallLabel(this, u"trend"_s))
    , m_detail(smallLabel(this, u"detail"_s))
    , m_live(smallLabel(this, u"live"_s))
    , m_stale(smallLabel(this, u"stale"_s))
{
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    setMinimumWidth(210);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_stripe->setFixedWidth(5);
    m_stripe->setAutoFillBackground(true);
    m_figure->setObjectName(u"value"_s);
    QFont big = m_figure->font();
    big.setPointSizeF(big.pointSizeF() * 1.9);
    big.setBold(true);
    m_figure->setFont(big);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_stale->hide();
    // Every tile keeps the same lines, so that a row of tiles lines up.
    for (QLabel* l : { m_trend, m_detail, m_live })
        l->setMinimumHeight(l->fontMetrics().height());

    auto* text = new QVBoxLayout;
    text->setSpacing(1);
    text->setContentsMargins(8, 6, 8, 6);
    text->addWidget(m_title);
    text->addWidget(m_figure);
    text->addWidget(m_trend);
    text->addWidget(m_detail);
    text->addWidget(m_live);
    text->addWidget(m_stale);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_stripe);
    layout->addLayout(text, 1);
    applyColors();
}

void KpiTile::setValue(const services::KpiValue& value)
{
    m_value = value;
    setObjectName(u"kpi_"_s + value.id);
    m_title->setText(value.title);
    m_figure->setText(value.value);
    m_trend->setText(value.trend);
    m_detail->setText(value.detail);
    m_live->setText(value.live);
    setToolTip(value.thresholdText);
    applyColors();
}

void KpiTile::setStale(const QString& age)
{
    m_stale->setText(age.isEmpty() ? QString() : tr("stale: %1").arg(age));
    m_stale->setVisible(!age.isEmpty());
    applyColors();
}

QString KpiTile::valueText() const
{
    return m_figure->text();
}

QString KpiTile::staleText() const
{
    return m_stale->isVisibleTo(this) ? m_stale->text() : QString();
}

void KpiTile::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        applyColors();
}

void KpiTile::applyColors()
{
    const bool dark = isDark(palette());
    const bool stale = m_stale->isVisibleTo(this);
    QPalette stripe = m_stripe->palette();
    stripe.setColor(QPalette::Window, levelColor(stale ? Level::None : m_value.level, dark));
    m_stripe->setPalette(stripe);
    const QColor muted = palette().color(QPalette::PlaceholderText);
    QColor figure = palette().color(QPalette::Text);
    if (stale)
        figure = muted;
    else if (m_value.level == Level::Critical || m_value.level == Level::Warning)
        figure = levelColor(m_value.level, dark);
    QPalette p = m_figure->palette();
    p.setColor(QPalette::WindowText, figure);
    m_figure->setPalette(p);
    for (QLabel* l : { m_trend, m_detail }) {
        QPalette lp = l->palette();
        lp.setColor(QPalette::WindowText, muted);
        l->setPalette(lp);
    }
    QPalette sp = m_stale->palette();
    sp.setColor(QPalette::WindowText, levelColor(Level::Warning, dark));
    m_stale->setPalette(sp);
}

} // namespace qc::ui
