#include "page.h"

namespace qc::ui {

Page::Page(const PageContext& context, QWidget* parent)
    : QWidget(parent)
    , m_context(context)
{
    qRegisterMetaType<services::InvestigationTarget>();
}

Page::~Page() = default;

} // namespace qc::ui
