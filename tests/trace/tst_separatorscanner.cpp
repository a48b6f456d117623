// The CSV reader's byte scans: the SSE2 implementation (x86-64) and the byte-at-a-time one
// (other architectures) find the same separators and quotes as a plain loop does, on buffers
// of every length and alignment, stepping the way the reader steps.

#include "trace/separatorscanner_p.h"

#include <QTest>

#include <random>
#include <string>
#include <vector>

using namespace qc::trace::detail;

namespace {

const char* naiveSeparator(const char* p, const char* end)
{
    for (; p < end; ++p) {
        if (*p == ',' || *p == '\n' || *p == '\r')
            return p;
    }
    return end;
}

const char* naiveQuoteOrBreak(const char* p, const char* end)
{
    for (; p < end; ++p) {
        if (*p == '"' || *p == '\n' || *p == '\r')
            return p;
    }
    return end;
}

// Text of CSV-like bytes: mostly letters, with separators and quotes at `density` per byte.
std::string randomText(std::mt19937& random, std::size_t size, double density)
{
    static constexpr char kSpecial[] = { ',', '\n', '\r', '"', ',', ',' };
    std::bernoulli_distribution special(density);
    std::uniform_int_distribution<int> which(0, int(sizeof(kSpecial)) - 1);
    std::uniform_int_distribution<int> letter('a', 'z');
    std::string text(size, ' ');
    for (char& c : text)
        c = special(random) ? kSpecial[which(random)] : char(letter(random));
    return text;
}

} // namespace

class TestSeparatorScanner : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void scalarScanIsCompiledAndTheDefaultFollowsTheArchitecture();
    void separatorsMatchAPlainLoop_data();
    void separatorsMatchAPlainLoop();
    void quotesAndBreaksMatchAPlainLoop();
    void bytesAroundTheBufferAreNeverReported();
};

void TestSeparatorScanner::scalarScanIsCompiledAndTheDefaultFollowsTheArchitecture()
{
#if defined(__SSE2__)
    QVERIFY(kSimdScan);
#else
    QVERIFY(!kSimdScan);
#endif
    const std::string text = "a,b\nc";
    BasicSeparatorScanner<false> scalar(text.data(), text.data() + text.size());
    QCOMPARE(scalar.next(text.data()) - text.data(), 1);
    QCOMPARE(scalar.next(text.data() + 2) - text.data(), 3);
    QCOMPARE(scalar.next(text.data() + 4) - text.data(), 5);
}

void TestSeparatorScanner::separatorsMatchAPlainLoop_data()
{
    QTest::addColumn<double>("density");
    QTest::newRow("sparse (long cells)") << 0.01;
    QTest::newRow("a trace's density") << 0.08;
    QTest::newRow("dense (empty cells)") << 0.6;
}

void TestSeparatorScanner::separatorsMatchAPlainLoop()
{
    QFETCH(double, density);
    std::mt19937 random(7);
    for (std::size_t size = 0; size < 400; size += 1 + size / 16) {
        for (int round = 0; round < 20; ++round) {
            // An offset start: the blocks are aligned to the buffer start, not to addresses.
            const std::string storage = randomText(random, size + 3, density);
            const char* begin = storage.data() + round % 3;
            const char* end = begin + size;
            BasicSeparatorScanner<true> simd(begin, end);
            BasicSeparatorScanner<false> scalar(begin, end);
            // Step as the reader does: to just after each separator, sometimes jumping ahead
            // (after a quoted cell), from the start to the end.
            std::uniform_int_distribution<int> jump(0, 6);
            const char* p = begin;
            while (p < end) {
                const char* expected = naiveSeparator(p, end);
                QCOMPARE(simd.next(p) - begin, expected - begin);
                QCOMPARE(scalar.next(p) - begin, expected - begin);
                p = expected + 1;
                if (jump(random) == 0)
                    p = std::min(end, p + jump(random) * 11);
            }
            QCOMPARE(simd.next(end), end);
            QCOMPARE(scalar.next(end), end);
        }
    }
}

void TestSeparatorScanner::quotesAndBreaksMatchAPlainLoop()
{
    std::mt19937 random(11);
    for (std::size_t size = 0; size < 300; ++size) {
        for (const double density : { 0.005, 0.05, 0.5 }) {
            const std::string text = randomText(random, size, density);
            const char* begin = text.data();
            const char* end = begin + size;
            for (std::size_t from = 0; from <= size; from += 1 + from / 8) {
                const char* expected = naiveQuoteOrBreak(begin + from, end);
                QCOMPARE(findQuoteOrBreak<true>(begin + from, end) - begin, expected - begin);
                QCOMPARE(findQuoteOrBreak<false>(begin + from, end) - begin, expected - begin);
            }
        }
    }
}

void TestSeparatorScanner::bytesAroundTheBufferAreNeverReported()
{
    // Separators just outside [begin, end) must not be found: the buffer is part of a larger
    // one (a range of a mapped file).
    const std::string text
        = ",\"abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123\",";
    const char* begin = text.data() + 2;
    const char* end = text.data() + text.size() - 2;
    BasicSeparatorScanner<true> simd(begin, end);
    BasicSeparatorScanner<false> scalar(begin, end);
    QCOMPARE(simd.next(begin), end);
    QCOMPARE(scalar.next(begin), end);
    QCOMPARE(findQuoteOrBreak<true>(begin, end), end);
    QCOMPARE(findQuoteOrBreak<false>(begin, end), end);
}

QTEST_GUILESS_MAIN(TestSeparatorScanner)
#include "tst_separatorscanner.moc"
