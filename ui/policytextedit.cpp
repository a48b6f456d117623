#include "policytextedit.h"

#include <QFontDatabase>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>

using namespace Qt::StringLiterals;

namespace qc::ui {

class LineNumberArea final : public QWidget {
public:
    explicit LineNumberArea(PolicyTextEdit* editor)
        : QWidget(editor)
        , m_editor(editor)
    {
    }
    QSize sizeHint() const override { return { m_editor->lineNumberWidth(), 0 }; }

protected:
    void paintEvent(QPaintEvent* event) override { m_editor->paintLineNumbers(event); }

private:
    PolicyTextEdit* m_editor;
};

PolicyTextEdit::PolicyTextEdit(workbench::PolicyDocument* document, QWidget* parent)
    : QPlainTextEdit(parent)
    , m_document(document)
    , m_lineNumbers(new LineNumberArea(this))
{
    setObjectName(u"candidateJson"_s);
    setAccessibleName(tr("Candidate policy JSON"));
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabChangesFocus(false);
    setPlainText(document->text());
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &PolicyTextEdit::flush);
    connect(this, &QPlainTextEdit::textChanged, this, [this] {
        if (!m_applying)
            m_debounce.start();
    });
    connect(document, &workbench::PolicyDocument::changed, this, &PolicyTextEdit::documentChanged);
    connect(this, &QPlainTextEdit::blockCountChanged, this,
        [this] { setViewportMargins(lineNumberWidth(), 0, 0, 0); });
    connect(this, &QPlainTextEdit::updateRequest, this, &PolicyTextEdit::updateLineNumberArea);
    setViewportMargins(lineNumberWidth(), 0, 0, 0);
    markProblems();
}

void PolicyTextEdit::flush()
{
    m_debounce.stop();
    if (m_document && toPlainText() != m_document->text()) {
        m_pushing = true;
        m_document->setText(toPlainText(), workbench::PolicyDocument::Origin::Text);
        m_pushing = false;
    }
}

void PolicyTextEdit::documentChanged(workbench::PolicyDocument::Origin)
{
    // Every change but our own typing replaces the text (a form edit, a load, a paste into
    // the document from elsewhere); typing not yet handed over would be lost, so it goes first.
    if (!m_pushing && toPlainText() != m_document->text()) {
        m_debounce.stop();
        // Keep the reader where they were: same line, same scroll position.
        const int line = textCursor().blockNumber();
        const int scroll = verticalScrollBar()->value();
        m_applying = true;
        setPlainText(m_document->text());
        m_applying = false;
        QTextCursor cursor(document()->findBlockByNumber(std::min(line, blockCount() - 1)));
        setTextCursor(cursor);
        verticalScrollBar()->setValue(scroll);
    }
    markProblems();
}

void PolicyTextEdit::markProblems()
{
    QList<QTextEdit::ExtraSelection> selections;
    m_marked.clear();
    if (!m_document || toPlainText() != m_document->text()) {
        // Typing not yet validated: old marks would sit in the wrong places.
        setExtraSelections(selections);
        return;
    }
    for (const workbench::DocumentProblem& problem : m_document->problems()) {
        QTextEdit::ExtraSelection line;
        line.format.setBackground(QColor(0xfd, 0xec, 0xea));
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = QTextCursor(document()->findBlockByNumber(problem.span.line - 1));
        line.format.setToolTip(problem.toString());
        selections.push_back(line);

        QTextEdit::ExtraSelection mark;
        mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
        mark.format.setUnderlineColor(QColor(0xc6, 0x28, 0x28));
        mark.format.setToolTip(problem.toString());
        QTextCursor cursor(document());
        cursor.setPosition(std::min(problem.span.start, document()->characterCount() - 1));
        cursor.setPosition(std::min(problem.span.start + std::max(problem.span.length, 1),
                               document()->characterCount() - 1),
            QTextCursor::KeepAnchor);
        mark.cursor = cursor;
        selections.push_back(mark);
        m_marked.push_back(problem.span);
    }
    setExtraSelections(selections);
}

QList<workbench::TextSpan> PolicyTextEdit::markedSpans() const
{
    return m_marked;
}

void PolicyTextEdit::showProblem(const workbench::DocumentProblem& problem)
{
    flush();
    QTextCursor cursor(document());
    cursor.setPosition(std::min(problem.span.start, document()->characterCount() - 1));
    cursor.setPosition(
        std::min(problem.span.start + problem.span.length, document()->characterCount() - 1),
        QTextCursor::KeepAnchor);
    setTextCursor(cursor);
    centerCursor();
    setFocus();
}

int PolicyTextEdit::lineNumberWidth() const
{
    int digits = 1;
    for (int max = std::max(1, blockCount()); max >= 10; max /= 10)
        ++digits;
    return 10 + fontMetrics().horizontalAdvance(u'9') * std::max(digits, 3);
}

void PolicyTextEdit::resizeEvent(QResizeEvent* event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    m_lineNumbers->setGeometry(QRect(r.left(), r.top(), lineNumberWidth(), r.height()));
}

void PolicyTextEdit::updateLineNumberArea(const QRect& rect, int dy)
{
    if (dy != 0)
        m_lineNumbers->scroll(0, dy);
    else
        m_lineNumbers->update(0, rect.y(), m_lineNumbers->width(), rect.height());
}

void PolicyTextEdit::paintLineNumbers(QPaintEvent* event)
{
    QPainter painter(m_lineNumbers);
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    QSet<int> problemLines;
    for (const workbench::TextSpan& span : std::as_const(m_marked))
        problemLines.insert(span.line);
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    int bottom = top + qRound(blockBoundingRect(block).height());
    while (block.isValid() && top <= event->rect().bottom()) {
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int number = block.blockNumber() + 1;
            const bool bad = problemLines.contains(number);
            painter.setPen(
                bad ? QColor(0xc6, 0x28, 0x28) : palette().color(QPalette::PlaceholderText));
            QFont f = font();
            f.setBold(bad);
            painter.setFont(f);
            painter.drawText(0, top, m_lineNumbers->width() - 5, fontMetrics().height(),
                Qt::AlignRight, QString::number(number));
        }
        block = block.next();
        top = bottom;
        bottom = top + qRound(blockBoundingRect(block).height());
    }
}

} // namespace qc::ui
