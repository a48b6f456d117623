#include "bannerarea.h"

#include "services/noticeboard.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTimer>

#include <algorithm>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::Notice;

namespace {

QString timeText(const QDateTime& utc)
{
    const QDateTime local = utc.toLocalTime();
    return local.date() == QDate::currentDate() ? local.toString(u"HH:mm"_s)
                                                : local.toString(u"yyyy-MM-dd HH:mm"_s);
}

// Background and text colours that read well in light and dark palettes alike.
std::pair<QColor, QColor> colorsOf(Notice::Severity severity)
{
    switch (severity) {
    case Notice::Severity::Error:
        return { QColor(0xb7, 0x1c, 0x1c), Qt::white };
    case Notice::Severity::Warning:
        return { QColor(0xff, 0xb3, 0x00), Qt::black };
    case Notice::Severity::Info:
        break;
    }
    return { QColor(0x15, 0x65, 0xc0), Qt::white };
}

} // namespace

BannerArea::BannerArea(services::NoticeBoard* notices, QWidget* parent)
    : QWidget(parent)
    , m_notices(notices)
    , m_layout(new QVBoxLayout(this))
    , m_tick(new QTimer(this))
{
    setObjectName(u"bannerArea"_s);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(1);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &BannerArea::refreshTexts);
    connect(notices, &services::NoticeBoard::changed, this, &BannerArea::rebuild);
    rebuild();
}

QStringList BannerArea::texts() const
{
    QStringList out;
    for (const QLabel* label : findChildren<QLabel*>(u"bannerText"_s))
        out << label->text();
    return out;
}

void BannerArea::rebuild()
{
    while (QLayoutItem* item = m_layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    QList<Notice> notices = m_notices->notices();
    // The most severe first: a database outage above an endpoint's hiccup.
    std::stable_sort(notices.begin(), notices.end(),
        [](const Notice& a, const Notice& b) { return int(a.severity) > int(b.severity); });
    for (const Notice& n : notices) {
        auto* row = new QWidget(this);
        row->setObjectName(u"bannerRow"_s);
        row->setProperty("noticeKey", n.key);
        row->setAutoFillBackground(true);
        const auto [background, text] = colorsOf(n.severity);
        QPalette pal = row->palette();
        pal.setColor(QPalette::Window, background);
        pal.setColor(QPalette::WindowText, text);
        pal.setColor(QPalette::ButtonText, Qt::black);
        row->setPalette(pal);
        auto* layout = new QHBoxLayout(row);
        layout->setContentsMargins(10, 5, 6, 5);
        auto* label = new QLabel(row);
        label->setObjectName(u"bannerText"_s);
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setProperty("noticeKey", n.key);
        layout->addWidget(label, 1);
        if (!n.actionText.isEmpty()) {
            auto* button = new QPushButton(n.actionText, row);
            button->setObjectName(u"bannerAction"_s);
            const QString key = n.key;
            connect(button, &QPushButton::clicked, this, [this, key] { m_notices->trigger(key); });
            layout->addWidget(button, 0, Qt::AlignVCenter);
        }
        m_layout->addWidget(row);
    }
    setVisible(!notices.isEmpty());
    refreshTexts();
}

void BannerArea::refreshTexts()
{
    bool counting = false;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (QLabel* label : findChildren<QLabel*>(u"bannerText"_s)) {
        const Notice* n = m_notices->find(label->property("noticeKey").toString());
        if (!n)
            continue;
        QString text = n->text;
        if (n->since.isValid())
            text += tr(" — since %1").arg(timeText(n->since));
        if (n->retryAt.isValid()) {
            const qint64 seconds = qMax<qint64>(0, (now.msecsTo(n->retryAt) + 999) / 1000);
            text += seconds > 0 ? tr(", retrying in %1 s").arg(seconds) : tr(", retrying now");
            counting = true;
        }
        label->setText(text);
    }
    if (counting && !m_tick->isActive())
        m_tick->start();
    else if (!counting)
        m_tick->stop();
}

} // namespace qc::ui
