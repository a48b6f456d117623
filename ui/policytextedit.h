#pragma once

#include "workbench/policydocument.h"

#include <QPlainTextEdit>
#include <QPointer>
#include <QTimer>

namespace qc::ui {

/// The JSON view of the candidate: a plain-text editor with line numbers bound to a
/// PolicyDocument. Typing updates the document after a short pause (the form follows); a form
/// edit replaces the text, keeping the cursor on its line. Every problem core/policy finds is
/// underlined where it is, its line tinted, and showProblem() selects it.
class PolicyTextEdit final : public QPlainTextEdit {
    Q_OBJECT
    Q_DISABLE_COPY(PolicyTextEdit)
public:
    explicit PolicyTextEdit(workbench::PolicyDocument* document, QWidget* parent = nullptr);

    /// Sends pending typing to the document now (before a run, a save).
    void flush();
    /// Selects the text of `problem` and scrolls to it.
    void showProblem(const workbench::DocumentProblem& problem);
    /// The spans currently marked as problems (for tests and the status line).
    QList<workbench::TextSpan> markedSpans() const;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    friend class LineNumberArea;
    void documentChanged(workbench::PolicyDocument::Origin origin);
    void markProblems();
    int lineNumberWidth() const;
    void paintLineNumbers(QPaintEvent* event);
    void updateLineNumberArea(const QRect& rect, int dy);

    QPointer<workbench::PolicyDocument> m_document;
    QWidget* m_lineNumbers;
    QTimer m_debounce;
    bool m_applying = false; // replacing the text: not typing
    bool m_pushing = false; // handing typing to the document
    QList<workbench::TextSpan> m_marked;
};

} // namespace qc::ui
