#include "pageregistry.h"

#include <algorithm>

namespace qc::ui {

void PageRegistry::add(PageDescriptor descriptor)
{
    m_pages.removeIf([&](const PageDescriptor& d) { return d.id == descriptor.id; });
    const auto at = std::upper_bound(m_pages.begin(), m_pages.end(), descriptor,
        [](const PageDescriptor& a, const PageDescriptor& b) { return a.order < b.order; });
    m_pages.insert(at, std::move(descriptor));
}

const PageDescriptor* PageRegistry::find(const QString& id) const
{
    for (const PageDescriptor& d : m_pages) {
        if (d.id == id)
            return &d;
    }
    return nullptr;
}

const PageDescriptor* PageRegistry::investigator() const
{
    for (const PageDescriptor& d : m_pages) {
        if (d.investigates)
            return &d;
    }
    return nullptr;
}

} // namespace qc::ui
