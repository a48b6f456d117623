#include "reportcondition.h"

#include "policy/policyjson.h"
#include "report.h"

#include <QHash>
#include <QJsonArray>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace qc::simulation {

namespace {

// The breakdown lists of docs/simulation.md, indexed by the name of their entries.
const QStringList& listPaths()
{
    static const QStringList paths = [] {
        QStringList out;
        for (const QString& policy : { u"baseline"_s, u"candidate"_s }) {
            for (const QString& list :
                { u"denied_by_rule"_s, u"would_deny_by_rule"_s, u"incidents_by_pattern"_s })
                out.push_back(policy % u'.' % list);
        }
        for (const QString& change : { u"newly_denied"_s, u"newly_admitted"_s }) {
            for (const QString& list : { u"by_reason"_s, u"by_rule"_s, u"by_plan"_s,
                     u"by_endpoint"_s, u"top_clients"_s, u"top_users"_s })
                out.push_back(change % u'.' % list);
        }
        return out;
    }();
    return paths;
}

struct Values {
    QHash<QString, double> numbers;
    QHash<QString, QHash<QString, double>> lists;
};

void flattenInto(const QJsonObject& object, const QString& prefix, Values& out)
{
    for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
        const QString path = prefix.isEmpty() ? it.key() : prefix % u'.' % it.key();
        const QJsonValue value = it.value();
        if (value.isDouble()) {
            out.numbers.insert(path, value.toDouble());
        } else if (value.isBool()) {
            out.numbers.insert(path, value.toBool() ? 1.0 : 0.0);
        } else if (value.isObject()) {
            flattenInto(value.toObject(), path, out);
        } else if (value.isArray() && path == u"alerts"_s) {
            double baseline = 0;
            double candidate = 0;
            for (const QJsonValue& alert : value.toArray()) {
                const QString policy = alert.toObject().value(u"policy"_s).toString();
                baseline += policy == u"baseline"_s;
                candidate += policy == u"candidate"_s;
            }
            out.numbers.insert(u"alerts.baseline"_s, baseline);
            out.numbers.insert(u"alerts.candidate"_s, candidate);
        } else if (value.isArray() && listPaths().contains(path)) {
            QHash<QString, double>& list = out.lists[path];
            for (const QJsonValue& entry : value.toArray()) {
                const QJsonObject e = entry.toObject();
                QString name;
                for (auto f = e.constBegin(); f != e.constEnd(); ++f) {
                    if (f.key() != u"count"_s && f.value().isString()) {
                        name = f.value().toString();
                        break;
                    }
                }
                list[name] += e.value(u"count"_s).toDouble();
            }
        }
    }
}

Values flatten(const QJsonObject& report)
{
    Values values;
    flattenInto(report, {}, values);
    for (const QString& path : listPaths())
        values.lists[path]; // present even when the report lists nothing
    values.numbers.insert(u"alerts.baseline"_s, values.numbers.value(u"alerts.baseline"_s));
    values.numbers.insert(u"alerts.candidate"_s, values.numbers.value(u"alerts.candidate"_s));
    return values;
}

const Values& schema()
{
    static const Values values = flatten(toJson(Report {}));
    return values;
}

// ---- lexer ---------------------------------------------------------------------------------

enum class Tok { Number, Key, Cmp, Plus, Minus, Star, Slash, LParen, RParen, And, Or, Not, End };
enum class CmpOp { Gt, Ge, Lt, Le, Eq, Ne };

struct Token {
    Tok kind = Tok::End;
    int column = 0; // 1-based
    int length = 0;
    double number = 0;
    CmpOp cmp = CmpOp::Gt;
    QStringList segments; // Key
    QString text;
};

class Lexer {
public:
    explicit Lexer(const QString& text)
        : m_text(text)
    {
    }

    bool run(QList<Token>& out, ConditionError* error)
    {
        while (true) {
            while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
                ++m_pos;
            Token t;
            t.column = static_cast<int>(m_pos) + 1;
            if (m_pos >= m_text.size()) {
                t.kind = Tok::End;
                out.push_back(t);
                return true;
            }
            const QChar c = m_text.at(m_pos);
            const QChar next = m_pos + 1 < m_text.size() ? m_text.at(m_pos + 1) : QChar();
            const auto two = [&](Tok kind, CmpOp op = CmpOp::Gt) {
                t.kind = kind;
                t.cmp = op;
                t.length = 2;
                m_pos += 2;
            };
            const auto one = [&](Tok kind, CmpOp op = CmpOp::Gt) {
                t.kind = kind;
                t.cmp = op;
                t.length = 1;
                m_pos += 1;
            };
            if (c == u'>' && next == u'=')
                two(Tok::Cmp, CmpOp::Ge);
            else if (c == u'<' && next == u'=')
                two(Tok::Cmp, CmpOp::Le);
            else if (c == u'=' && next == u'=')
                two(Tok::Cmp, CmpOp::Eq);
            else if (c == u'!' && next == u'=')
                two(Tok::Cmp, CmpOp::Ne);
            else if (c == u'&' && next == u'&')
                two(Tok::And);
            else if (c == u'|' && next == u'|')
                two(Tok::Or);
            else if (c == u'>')
                one(Tok::Cmp, CmpOp::Gt);
            else if (c == u'<')
                one(Tok::Cmp, CmpOp::Lt);
            else if (c == u'!')
                one(Tok::Not);
            else if (c == u'+')
                one(Tok::Plus);
            else if (c == u'-')
                one(Tok::Minus);
            else if (c == u'*')
                one(Tok::Star);
            else if (c == u'/')
                one(Tok::Slash);
            else if (c == u'(')
                one(Tok::LParen);
            else if (c == u')')
                one(Tok::RParen);
            else if (c == u'=')
                return fail(error, t.column, u"'=' is not an operator; compare with '=='"_s);
            else if (c.isDigit() || (c == u'.' && next.isDigit())) {
                if (!number(t, error))
                    return false;
            } else if (c.isLetter() || c == u'_') {
                if (!key(t, error))
                    return false;
            } else {
                return fail(error, t.column, u"unexpected character '"_s % c % u"'"_s);
            }
            t.text = m_text.mid(t.column - 1, t.length);
            out.push_back(t);
        }
    }

private:
    bool fail(ConditionError* error, int column, const QString& message)
    {
        if (error)
            *error = { column, message };
        return false;
    }

    bool number(Token& t, ConditionError* error)
    {
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && (m_text.at(m_pos).isDigit() || m_text.at(m_pos) == u'.'))
            ++m_pos;
        if (m_pos < m_text.size() && (m_text.at(m_pos) == u'e' || m_text.at(m_pos) == u'E')) {
            ++m_pos;
            if (m_pos < m_text.size() && (m_text.at(m_pos) == u'+' || m_text.at(m_pos) == u'-'))
                ++m_pos;
            while (m_pos < m_text.size() && m_text.at(m_pos).isDigit())
                ++m_pos;
        }
        bool ok = false;
        t.number = m_text.mid(start, m_pos - start).toDouble(&ok);
        t.kind = Tok::Number;
        t.length = static_cast<int>(m_pos - start);
        if (!ok)
            return fail(error, t.column,
                u"'"_s % m_text.mid(start, m_pos - start) % u"' is not a number"_s);
        if (m_pos < m_text.size() && (m_text.at(m_pos).isLetter() || m_text.at(m_pos) == u'%'))
            return fail(error, static_cast<int>(m_pos) + 1,
                u"a number cannot be followed by '"_s % m_text.at(m_pos)
                    % u"' (percentages are plain numbers: paid_denied_pct > 0.5)"_s);
        return true;
    }

    static bool segmentChar(QChar c) { return c.isLetterOrNumber() || c == u'_' || c == u'-'; }

    bool key(Token& t, ConditionError* error)
    {
        const qsizetype start = m_pos;
        QString segment;
        while (m_pos < m_text.size() && segmentChar(m_text.at(m_pos)))
            segment += m_text.at(m_pos++);
        t.segments.push_back(segment);
        while (m_pos < m_text.size()) {
            const QChar c = m_text.at(m_pos);
            if (c == u'.' && m_pos + 1 < m_text.size() && segmentChar(m_text.at(m_pos + 1))) {
                ++m_pos;
                segment.clear();
                while (m_pos < m_text.size() && segmentChar(m_text.at(m_pos)))
                    segment += m_text.at(m_pos++);
                t.segments.push_back(segment);
            } else if (c == u'[') {
                const int column = static_cast<int>(m_pos) + 1;
                ++m_pos;
                if (m_pos >= m_text.size() || m_text.at(m_pos) != u'"')
                    return fail(error, column, u"write a name in brackets as [\"name\"]"_s);
                ++m_pos;
                segment.clear();
                bool closed = false;
                while (m_pos < m_text.size()) {
                    const QChar d = m_text.at(m_pos++);
                    if (d == u'\\' && m_pos < m_text.size()) {
                        segment += m_text.at(m_pos++);
                    } else if (d == u'"') {
                        closed = true;
                        break;
                    } else {
                        segment += d;
                    }
                }
                if (!closed || m_pos >= m_text.size() || m_text.at(m_pos) != u']')
                    return fail(error, column, u"unterminated [\"name\"]"_s);
                ++m_pos;
                t.segments.push_back(segment);
            } else {
                break;
            }
        }
        t.length = static_cast<int>(m_pos - start);
        t.kind = Tok::Key;
        if (t.segments.size() == 1) {
            const QString word = t.segments.front().toLower();
            if (word == u"and"_s)
                t.kind = Tok::And;
            else if (word == u"or"_s)
                t.kind = Tok::Or;
            else if (word == u"not"_s)
                t.kind = Tok::Not;
        }
        return true;
    }

    const QString& m_text;
    qsizetype m_pos = 0;
};

// ---- syntax tree ---------------------------------------------------------------------------

struct Node {
    enum Kind { Number, Key, Neg, Add, Sub, Mul, Div, Cmp, And, Or, Not } kind = Number;
    double number = 0;
    CmpOp cmp = CmpOp::Gt;
    QString key; // Key: the plain key, or the list path
    QString name; // Key in a list: the entry's name
    bool inList = false;
    QString display; // Key: as written, for explain()
    std::unique_ptr<Node> a, b;

    bool isBoolean() const { return kind == Cmp || kind == And || kind == Or || kind == Not; }
};

class Parser {
public:
    Parser(const QList<Token>& tokens, ConditionError* error)
        : m_tokens(tokens)
        , m_error(error)
    {
    }

    std::unique_ptr<Node> parse()
    {
        std::unique_ptr<Node> node = orExpr();
        if (!node)
            return nullptr;
        if (peek().kind != Tok::End)
            return fail(peek(),
                u"unexpected '"_s % peek().text
                    % u"'; combine conditions with "
                      u"'and' or 'or'"_s);
        if (!node->isBoolean())
            return fail(m_tokens.front(),
                u"this is a number, not a condition; compare it, e.g. paid_denied_pct > 0.5"_s);
        return node;
    }

private:
    const Token& peek() const { return m_tokens.at(m_index); }
    const Token& take() { return m_tokens.at(m_index++); }

    std::unique_ptr<Node> fail(const Token& at, const QString& message)
    {
        if (m_error && m_error->message.isEmpty())
            *m_error = { at.column, message };
        return nullptr;
    }

    static QString describe(const Token& t)
    {
        return t.kind == Tok::End ? u"the end"_s : u"'"_s % t.text % u"'"_s;
    }

    std::unique_ptr<Node> binary(Node::Kind kind, std::unique_ptr<Node> a, std::unique_ptr<Node> b)
    {
        auto node = std::make_unique<Node>();
        node->kind = kind;
        node->a = std::move(a);
        node->b = std::move(b);
        return node;
    }

    std::unique_ptr<Node> logical(
        Tok op, Node::Kind kind, std::unique_ptr<Node> (Parser::*operand)())
    {
        std::unique_ptr<Node> left = (this->*operand)();
        while (left && peek().kind == op) {
            const Token& opToken = take();
            if (!left->isBoolean())
                return fail(opToken,
                    u"the left side of '"_s % opToken.text
                        % u"' is a number; 'and'/'or' combine comparisons"_s);
            const Token& rightStart = peek();
            std::unique_ptr<Node> right = (this->*operand)();
            if (!right)
                return nullptr;
            if (!right->isBoolean())
                return fail(rightStart,
                    u"the right side of '"_s % opToken.text
                        % u"' is a number; 'and'/'or' combine comparisons"_s);
            left = binary(kind, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<Node> orExpr() { return logical(Tok::Or, Node::Or, &Parser::andExpr); }
    std::unique_ptr<Node> andExpr() { return logical(Tok::And, Node::And, &Parser::notExpr); }

    std::unique_ptr<Node> notExpr()
    {
        if (peek().kind == Tok::Not) {
            const Token& op = take();
            const Token& start = peek();
            std::unique_ptr<Node> operand = notExpr();
            if (!operand)
                return nullptr;
            if (!operand->isBoolean())
                return fail(start, u"'"_s % op.text % u"' needs a condition, not a number"_s);
            auto node = std::make_unique<Node>();
            node->kind = Node::Not;
            node->a = std::move(operand);
            return node;
        }
        return comparison();
    }

    std::unique_ptr<Node> comparison()
    {
        std::unique_ptr<Node> left = additive();
        if (!left)
            return nullptr;
        if (peek().kind != Tok::Cmp) {
            if (left->isBoolean())
                return left;
            if (peek().kind == Tok::End || peek().kind == Tok::And || peek().kind == Tok::Or
                || peek().kind == Tok::RParen) {
                // A parenthesised number is fine; a bare one is caught by the callers.
                return left;
            }
            return fail(peek(),
                u"expected a comparison (>, >=, <, <=, ==, !=) before "_s % describe(peek()));
        }
        if (left->isBoolean())
            return fail(peek(), u"a condition cannot be compared; compare numbers"_s);
        const Token& op = take();
        std::unique_ptr<Node> right = additive();
        if (!right)
            return nullptr;
        if (right->isBoolean())
            return fail(op, u"a condition cannot be compared; compare numbers"_s);
        if (peek().kind == Tok::Cmp)
            return fail(peek(), u"comparisons do not chain; write a < x and x < b"_s);
        auto node = binary(Node::Cmp, std::move(left), std::move(right));
        node->cmp = op.cmp;
        return node;
    }

    std::unique_ptr<Node> additive()
    {
        std::unique_ptr<Node> left = multiplicative();
        while (left && (peek().kind == Tok::Plus || peek().kind == Tok::Minus)) {
            const Token& op = take();
            std::unique_ptr<Node> right = multiplicative();
            if (!right)
                return nullptr;
            if (left->isBoolean() || right->isBoolean())
                return fail(op, u"'"_s % op.text % u"' needs numbers on both sides"_s);
            left = binary(
                op.kind == Tok::Plus ? Node::Add : Node::Sub, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<Node> multiplicative()
    {
        std::unique_ptr<Node> left = unary();
        while (left && (peek().kind == Tok::Star || peek().kind == Tok::Slash)) {
            const Token& op = take();
            std::unique_ptr<Node> right = unary();
            if (!right)
                return nullptr;
            if (left->isBoolean() || right->isBoolean())
                return fail(op, u"'"_s % op.text % u"' needs numbers on both sides"_s);
            left = binary(
                op.kind == Tok::Star ? Node::Mul : Node::Div, std::move(left), std::move(right));
        }
        return left;
    }

    std::unique_ptr<Node> unary()
    {
        if (peek().kind == Tok::Minus) {
            const Token& op = take();
            std::unique_ptr<Node> operand = unary();
            if (!operand)
                return nullptr;
            if (operand->isBoolean())
                return fail(op, u"'-' needs a number"_s);
            auto node = std::make_unique<Node>();
            node->kind = Node::Neg;
            node->a = std::move(operand);
            return node;
        }
        return primary();
    }

    std::unique_ptr<Node> primary()
    {
        const Token& t = peek();
        switch (t.kind) {
        case Tok::Number: {
            take();
            auto node = std::make_unique<Node>();
            node->kind = Node::Number;
            node->number = t.number;
            return node;
        }
        case Tok::Key:
            take();
            return resolveKey(t);
        case Tok::LParen: {
            take();
            std::unique_ptr<Node> inner = orExpr();
            if (!inner)
                return nullptr;
            if (peek().kind != Tok::RParen)
                return fail(peek(),
                    u"expected ')' to close the '(' of column "_s % QString::number(t.column)
                        % u", found "_s % describe(peek()));
            take();
            return inner;
        }
        default:
            break;
        }
        const Token& before = m_index > 0 ? m_tokens.at(m_index - 1) : t;
        if (m_index > 0)
            return fail(t,
                u"expected a number or a report key after '"_s % before.text % u"', found "_s
                    % describe(t));
        return fail(t, u"expected a number or a report key, found "_s % describe(t));
    }

    std::unique_ptr<Node> resolveKey(const Token& t)
    {
        const Values& known = schema();
        auto node = std::make_unique<Node>();
        node->kind = Node::Key;
        node->display = t.text;
        const QString joined = t.segments.join(u'.');
        if (known.numbers.contains(joined)) {
            node->key = joined;
            return node;
        }
        for (qsizetype k = t.segments.size() - 1; k >= 1; --k) {
            const QString path = t.segments.mid(0, k).join(u'.');
            if (known.lists.contains(path)) {
                node->inList = true;
                node->key = path;
                node->name = t.segments.mid(k).join(u'.');
                return node;
            }
        }
        if (known.lists.contains(joined))
            return fail(t,
                u"'"_s % joined % u"' is a list; pick an entry by name, e.g. "_s % joined
                    % u"[\"name\"]"_s);
        // Suggest the closest key.
        QString best;
        int bestDistance = 1 << 30;
        QStringList candidates = known.numbers.keys();
        candidates += known.lists.keys();
        candidates.sort();
        for (const QString& candidate : candidates) {
            const int distance = policy::editDistance(joined, candidate);
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        QString message = u"unknown report key '"_s % joined % u"'"_s;
        if (bestDistance <= std::max<int>(2, static_cast<int>(joined.size()) / 4))
            message += u"; did you mean '"_s % best % u"'?"_s;
        else
            message += u" (the keys are those of the JSON report, docs/simulation.md)"_s;
        return fail(t, message);
    }

    const QList<Token>& m_tokens;
    qsizetype m_index = 0;
    ConditionError* m_error;
};

double number(const Node& node, const Values& values)
{
    switch (node.kind) {
    case Node::Number:
        return node.number;
    case Node::Key:
        return node.inList ? values.lists.value(node.key).value(node.name)
                           : values.numbers.value(node.key);
    case Node::Neg:
        return -number(*node.a, values);
    case Node::Add:
        return number(*node.a, values) + number(*node.b, values);
    case Node::Sub:
        return number(*node.a, values) - number(*node.b, values);
    case Node::Mul:
        return number(*node.a, values) * number(*node.b, values);
    case Node::Div:
        return number(*node.a, values) / number(*node.b, values);
    default:
        return 0;
    }
}

bool truth(const Node& node, const Values& values)
{
    switch (node.kind) {
    case Node::And:
        return truth(*node.a, values) && truth(*node.b, values);
    case Node::Or:
        return truth(*node.a, values) || truth(*node.b, values);
    case Node::Not:
        return !truth(*node.a, values);
    case Node::Cmp: {
        const double a = number(*node.a, values);
        const double b = number(*node.b, values);
        switch (node.cmp) {
        case CmpOp::Gt:
            return a > b;
        case CmpOp::Ge:
            return a >= b;
        case CmpOp::Lt:
            return a < b;
        case CmpOp::Le:
            return a <= b;
        case CmpOp::Eq:
            return a == b;
        case CmpOp::Ne:
            return a != b;
        }
        return false;
    }
    default:
        return number(node, values) != 0;
    }
}

void collectKeys(const Node* node, QList<const Node*>& out)
{
    if (!node)
        return;
    if (node->kind == Node::Key) {
        const bool seen = std::any_of(
            out.begin(), out.end(), [&](const Node* k) { return k->display == node->display; });
        if (!seen)
            out.push_back(node);
    }
    collectKeys(node->a.get(), out);
    collectKeys(node->b.get(), out);
}

} // namespace

QString ConditionError::toString(const QString& expression) const
{
    return u"column "_s % QString::number(column) % u": "_s % message % u"\n  "_s % expression
        % u"\n  "_s % QString(std::max(0, column - 1), u' ') % u'^';
}

struct ReportCondition::Impl {
    QString expression;
    std::unique_ptr<Node> root;
};

ReportCondition::ReportCondition()
    : d(std::make_unique<Impl>())
{
}
ReportCondition::~ReportCondition() = default;
ReportCondition::ReportCondition(ReportCondition&&) noexcept = default;
ReportCondition& ReportCondition::operator=(ReportCondition&&) noexcept = default;

std::optional<ReportCondition> ReportCondition::parse(
    const QString& expression, ConditionError* error)
{
    ConditionError local;
    ConditionError* sink = error ? error : &local;
    *sink = {};
    if (expression.trimmed().isEmpty()) {
        *sink = { 1, u"the condition is empty; e.g. paid_denied_pct > 0.5"_s };
        return std::nullopt;
    }
    QList<Token> tokens;
    if (!Lexer(expression).run(tokens, sink))
        return std::nullopt;
    std::unique_ptr<Node> root = Parser(tokens, sink).parse();
    if (!root)
        return std::nullopt;
    ReportCondition condition;
    condition.d->expression = expression;
    condition.d->root = std::move(root);
    return condition;
}

const QString& ReportCondition::expression() const
{
    return d->expression;
}

QStringList ReportCondition::keys() const
{
    QList<const Node*> nodes;
    collectKeys(d->root.get(), nodes);
    QStringList out;
    for (const Node* node : nodes)
        out.push_back(node->display);
    return out;
}

bool ReportCondition::evaluate(const Report& report) const
{
    return evaluate(toJson(report));
}

bool ReportCondition::evaluate(const QJsonObject& reportJson) const
{
    return d->root && truth(*d->root, flatten(reportJson));
}

namespace {

/// A value as a person reads it: whole numbers without decimals (counts), others with at most
/// two decimals, or three significant digits below 1 (0.0034 stays 0.0034, not 0.00).
QString valueText(double v)
{
    if (!std::isfinite(v))
        return QString::number(v);
    if (v == std::trunc(v) && std::abs(v) < 1e15)
        return QString::number(static_cast<qint64>(v));
    if (std::abs(v) < 1)
        return QString::number(v, 'g', 3);
    QString text = QString::number(v, 'f', 2);
    while (text.endsWith(u'0'))
        text.chop(1);
    if (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

} // namespace

QString ReportCondition::explain(const QJsonObject& reportJson) const
{
    const Values values = flatten(reportJson);
    QList<const Node*> nodes;
    collectKeys(d->root.get(), nodes);
    QStringList parts;
    for (const Node* node : nodes)
        parts.push_back(node->display % u" = "_s % valueText(number(*node, values)));
    return parts.join(u", "_s);
}

QStringList ReportCondition::reportKeys()
{
    QStringList keys = schema().numbers.keys();
    keys.sort();
    return keys;
}

QStringList ReportCondition::namedLists()
{
    return listPaths();
}

} // namespace qc::simulation
