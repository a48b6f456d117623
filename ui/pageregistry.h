#pragma once

#include "ui/page.h"

#include <QIcon>
#include <QKeySequence>
#include <QList>
#include <QString>

#include <functional>

namespace qc::ui {

/// How the main window knows a page: its id, title and place in the navigation, and how to
/// make it. Pages are created when first shown.
struct PageDescriptor {
    QString id; // stable: "dashboard", "investigate", "requests", ...; saved in the settings
    QString title; // translated, for the navigation
    QString toolTip;
    QIcon icon;
    int order = 100; // navigation position, ascending
    /// Receives investigateRequested() targets from other pages (one page should).
    bool investigates = false;
    std::function<Page*(const PageContext& context, QWidget* parent)> create;
};

/// The descriptor of a page class that is constructed as `PageType(context, parent)`.
template<typename PageType>
PageDescriptor pageDescriptorOf(
    QString id, QString title, QString toolTip, const QString& iconName, int order)
{
    PageDescriptor d;
    d.id = std::move(id);
    d.title = std::move(title);
    d.toolTip = std::move(toolTip);
    d.icon = QIcon::fromTheme(iconName);
    d.order = order;
    d.create = [](const PageContext& context, QWidget* parent) -> Page* {
        return new PageType(context, parent);
    };
    return d;
}

/// The pages of the console, in navigation order.
class PageRegistry {
public:
    /// Adds (or replaces, by id) a page.
    void add(PageDescriptor descriptor);
    QList<PageDescriptor> pages() const { return m_pages; }
    const PageDescriptor* find(const QString& id) const;
    /// The page that investigates, or null.
    const PageDescriptor* investigator() const;

private:
    QList<PageDescriptor> m_pages;
};

/// Registers the console's pages (ui/builtinpages.cpp: one line per page).
void registerBuiltInPages(PageRegistry& registry);

} // namespace qc::ui
