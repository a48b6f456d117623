#include "timerangeselector.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QLabel>

namespace qc::ui {

using namespace Qt::StringLiterals;

namespace {

qint64 presetSeconds(const QString& p)
{
    if (p == u"15m")
        return 15 * 60;
    if (p == u"1h")
        return 3600;
    if (p == u"6h")
        return 6 * 3600;
    if (p == u"24h")
        return 86400;
    if (p == u"7d")
        return 7 * 86400;
    if (p == u"30d")
        return 30 * 86400;
    return 0;
}

} // namespace

TimeRangeSelector::TimeRangeSelector(QWidget* parent)
    : QWidget(parent)
    , m_preset(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
{
    m_preset->setObjectName(u"rangePreset"_s);
    m_preset->addItem(tr("Last 15 minutes"), u"15m"_s);
    m_preset->addItem(tr("Last hour"), u"1h"_s);
    m_preset->addItem(tr("Last 6 hours"), u"6h"_s);
    m_preset->addItem(tr("Last 24 hours"), u"24h"_s);
    m_preset->addItem(tr("Last 7 days"), u"7d"_s);
    m_preset->addItem(tr("Last 30 days"), u"30d"_s);
    m_preset->addItem(tr("From … to …"), u"custom"_s);
    m_preset->setCurrentIndex(3);
    for (QDateTimeEdit* e : { m_from, m_to }) {
        e->setTimeSpec(Qt::UTC);
        e->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
        e->setCalendarPopup(true);
        e->setVisible(false);
    }
    m_from->setObjectName(u"rangeFrom"_s);
    m_from->setAccessibleName(tr("From"));
    m_to->setObjectName(u"rangeTo"_s);
    m_to->setAccessibleName(tr("To"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_preset);
    layout->addWidget(m_from);
    auto* dash = new QLabel(u"–"_s, this);
    dash->setVisible(false);
    layout->addWidget(dash);
    layout->addWidget(m_to);
    auto* utc = new QLabel(tr("UTC"), this);
    utc->setVisible(false);
    layout->addWidget(utc);
    connect(m_preset, &QComboBox::currentIndexChanged, this, [this, dash, utc] {
        const bool custom = preset() == u"custom";
        if (custom && !m_from->isVisible()) {
            const QDateTime n = now();
            m_customTo = n;
            m_customFrom = n.addDays(-1);
            m_to->setDateTime(m_customTo);
            m_from->setDateTime(m_customFrom);
        }
        for (QWidget* w : { static_cast<QWidget*>(m_from), static_cast<QWidget*>(m_to),
                 static_cast<QWidget*>(dash), static_cast<QWidget*>(utc) })
            w->setVisible(custom);
        Q_EMIT rangeChanged();
    });
    connect(m_from, &QDateTimeEdit::editingFinished, this, [this] {
        m_customFrom = m_from->dateTime().toUTC();
        Q_EMIT rangeChanged();
    });
    connect(m_to, &QDateTimeEdit::editingFinished, this, [this] {
        m_customTo = m_to->dateTime().toUTC();
        Q_EMIT rangeChanged();
    });
}

TimeRangeSelector::~TimeRangeSelector() = default;

QDateTime TimeRangeSelector::now() const
{
    return m_clock ? m_clock().toUTC() : QDateTime::currentDateTimeUtc();
}

void TimeRangeSelector::setPreset(const QString& preset)
{
    const int i = m_preset->findData(preset);
    if (i >= 0)
        m_preset->setCurrentIndex(i);
}

QString TimeRangeSelector::preset() const
{
    return m_preset->currentData().toString();
}

void TimeRangeSelector::setRange(const QDateTime& from, const QDateTime& to)
{
    {
        const QSignalBlocker block(m_preset);
        m_preset->setCurrentIndex(m_preset->findData(u"custom"_s));
    }
    m_customFrom = from.toUTC();
    m_customTo = to.toUTC();
    m_from->setDateTime(m_customFrom);
    m_to->setDateTime(m_customTo);
    for (QWidget* w : findChildren<QWidget*>())
        if (w != m_preset)
            w->setVisible(true);
    Q_EMIT rangeChanged();
}

QDateTime TimeRangeSelector::from() const
{
    if (preset() == u"custom")
        return m_customFrom;
    return now().addSecs(-presetSeconds(preset()));
}

QDateTime TimeRangeSelector::to() const
{
    if (preset() == u"custom")
        return m_customTo;
    return now().addMSecs(1); // the current millisecond included
}

} // namespace qc::ui
