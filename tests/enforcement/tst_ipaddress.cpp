#include "enforcement/ipaddress.h"

#include <QTest>

using namespace qc::enforcement;
using namespace Qt::Literals::StringLiterals;

namespace {

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

class TestIpAddress : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("canonical");

        QTest::newRow("v4") << u"203.0.113.7"_s << true << u"203.0.113.7"_s;
        QTest::newRow("v4 zeros") << u"0.0.0.0"_s << true << u"0.0.0.0"_s;
        QTest::newRow("v4 max") << u"255.255.255.255"_s << true << u"255.255.255.255"_s;
        QTest::newRow("v4 part too big") << u"256.1.1.1"_s << false << QString();
        QTest::newRow("v4 leading zero") << u"01.2.3.4"_s << false << QString();
        QTest::newRow("v4 leading zero last") << u"1.2.3.04"_s << false << QString();
        QTest::newRow("v4 three parts") << u"1.2.3"_s << false << QString();
        QTest::newRow("v4 five parts") << u"1.2.3.4.5"_s << false << QString();
        QTest::newRow("v4 empty part") << u"1..3.4"_s << false << QString();
        QTest::newRow("v4 trailing dot") << u"1.2.3.4."_s << false << QString();
        QTest::newRow("v4 sign") << u"+1.2.3.4"_s << false << QString();
        QTest::newRow("v4 port") << u"1.2.3.4:80"_s << false << QString();
        QTest::newRow("v4 space") << u" 1.2.3.4"_s << false << QString();
        QTest::newRow("v4 hex") << u"0x1.2.3.4"_s << false << QString();
        QTest::newRow("empty") << QString() << false << QString();
        QTest::newRow("word") << u"localhost"_s << false << QString();

        QTest::newRow("v6 loopback") << u"::1"_s << true << u"::1"_s;
        QTest::newRow("v6 any") << u"::"_s << true << u"::"_s;
        QTest::newRow("v6 full") << u"2001:0db8:0000:0000:0000:0000:0000:0001"_s << true
                                 << u"2001:db8::1"_s;
        QTest::newRow("v6 upper case") << u"2001:DB8::A"_s << true << u"2001:db8::a"_s;
        QTest::newRow("v6 single zero group not compressed")
            << u"2001:db8:0:1:1:1:1:1"_s << true << u"2001:db8:0:1:1:1:1:1"_s;
        QTest::newRow("v6 longest run compressed")
            << u"2001:0:0:1:0:0:0:1"_s << true << u"2001:0:0:1::1"_s;
        QTest::newRow("v6 first of equal runs")
            << u"2001:db8:0:0:1:0:0:1"_s << true << u"2001:db8::1:0:0:1"_s;
        QTest::newRow("v6 trailing ::") << u"fe80::"_s << true << u"fe80::"_s;
        QTest::newRow("v6 embedded v4")
            << u"64:ff9b::192.0.2.33"_s << true << u"64:ff9b::c000:221"_s;
        QTest::newRow("v4-mapped is v4") << u"::ffff:192.0.2.1"_s << true << u"192.0.2.1"_s;
        QTest::newRow("v4-mapped hex is v4") << u"::ffff:c000:201"_s << true << u"192.0.2.1"_s;
        QTest::newRow("v6 two ::") << u"1::2::3"_s << false << QString();
        QTest::newRow("v6 nine groups") << u"1:2:3:4:5:6:7:8:9"_s << false << QString();
        QTest::newRow("v6 seven groups") << u"1:2:3:4:5:6:7"_s << false << QString();
        QTest::newRow("v6 :: for nothing") << u"1:2:3:4:5:6:7:8::"_s << false << QString();
        QTest::newRow("v6 group too long") << u"12345::1"_s << false << QString();
        QTest::newRow("v6 bad hex") << u"2001:db8::g"_s << false << QString();
        QTest::newRow("v6 zone") << u"fe80::1%eth0"_s << false << QString();
        QTest::newRow("v6 brackets") << u"[::1]"_s << false << QString();
        QTest::newRow("v6 bracket port") << u"[::1]:443"_s << false << QString();
        QTest::newRow("v6 leading single colon") << u":1::2"_s << false << QString();
        QTest::newRow("v6 trailing single colon") << u"1::2:"_s << false << QString();
        QTest::newRow("v6 v4 not last") << u"::1.2.3.4:1"_s << false << QString();
        QTest::newRow("v6 v4 too many groups") << u"1:2:3:4:5:6:7:1.2.3.4"_s << false << QString();
        QTest::newRow("v6 v4 with leading zero") << u"::ffff:01.2.3.4"_s << false << QString();
    }

    void parse()
    {
        QFETCH(QString, input);
        QFETCH(bool, valid);
        QFETCH(QString, canonical);
        const std::string utf8 = input.toStdString();
        const auto address = IpAddress::parse(utf8);
        QCOMPARE(address.has_value(), valid);
        if (!valid)
            return;
        QCOMPARE(text(address->toString()), canonical);
        // The canonical text parses back to the same address.
        const auto again = IpAddress::parse(address->toString());
        QVERIFY(again.has_value());
        QCOMPARE(again->hi, address->hi);
        QCOMPARE(again->lo, address->lo);
    }

    void clientKeys_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("key");
        QTest::newRow("v4 is itself") << u"198.51.100.23"_s << u"198.51.100.23"_s;
        QTest::newRow("v6 grouped by /64")
            << u"2001:db8:1:2:aaaa:bbbb:cccc:dddd"_s << u"2001:db8:1:2::/64"_s;
        QTest::newRow("v6 same /64") << u"2001:db8:1:2::1"_s << u"2001:db8:1:2::/64"_s;
        QTest::newRow("v6 zero /64") << u"::1"_s << u"::/64"_s;
        QTest::newRow("mapped v4") << u"::ffff:10.1.2.3"_s << u"10.1.2.3"_s;
    }

    void clientKeys()
    {
        QFETCH(QString, address);
        QFETCH(QString, key);
        const auto parsed = IpAddress::parse(address.toStdString());
        QVERIFY(parsed.has_value());
        QCOMPARE(text(clientKey(*parsed)), key);
    }

    void cidr_data()
    {
        QTest::addColumn<QString>("cidr");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("canonical");
        QTest::addColumn<QString>("inside");
        QTest::addColumn<QString>("outside");
        QTest::newRow("v4 /8") << u"10.0.0.0/8"_s << true << u"10.0.0.0/8"_s << u"10.255.1.2"_s
                               << u"11.0.0.1"_s;
        QTest::newRow("v4 host bits masked") << u"192.168.1.77/24"_s << true << u"192.168.1.0/24"_s
                                             << u"192.168.1.1"_s << u"192.168.2.1"_s;
        QTest::newRow("v4 /32") << u"203.0.113.7/32"_s << true << u"203.0.113.7/32"_s
                                << u"203.0.113.7"_s << u"203.0.113.8"_s;
        QTest::newRow("v4 bare address") << u"203.0.113.7"_s << true << u"203.0.113.7/32"_s
                                         << u"203.0.113.7"_s << u"203.0.113.6"_s;
        QTest::newRow("v4 /0") << u"0.0.0.0/0"_s << true << u"0.0.0.0/0"_s << u"8.8.8.8"_s
                               << u"2001:db8::1"_s;
        QTest::newRow("v6 /8") << u"fd00::/8"_s << true << u"fd00::/8"_s << u"fd12:3456::1"_s
                               << u"fe80::1"_s;
        QTest::newRow("v6 /64") << u"2001:db8:1:2::/64"_s << true << u"2001:db8:1:2::/64"_s
                                << u"2001:db8:1:2:ffff::1"_s << u"2001:db8:1:3::1"_s;
        QTest::newRow("v4 prefix too long")
            << u"10.0.0.0/33"_s << false << QString() << QString() << QString();
        QTest::newRow("v6 prefix too long")
            << u"::/129"_s << false << QString() << QString() << QString();
        QTest::newRow("prefix leading zero")
            << u"10.0.0.0/08"_s << false << QString() << QString() << QString();
        QTest::newRow("empty prefix")
            << u"10.0.0.0/"_s << false << QString() << QString() << QString();
        QTest::newRow("bad address")
            << u"10.0.0/8"_s << false << QString() << QString() << QString();
    }

    void cidr()
    {
        QFETCH(QString, cidr);
        QFETCH(bool, valid);
        QFETCH(QString, canonical);
        QFETCH(QString, inside);
        QFETCH(QString, outside);
        const auto network = Cidr::parse(cidr.toStdString());
        QCOMPARE(network.has_value(), valid);
        if (!valid)
            return;
        QCOMPARE(text(network->toString()), canonical);
        QVERIFY(network->contains(*IpAddress::parse(inside.toStdString())));
        QVERIFY(!network->contains(*IpAddress::parse(outside.toStdString())));
    }

    void masked()
    {
        const auto address = *IpAddress::parse("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff");
        QCOMPARE(text(address.masked(0).toString()), u"::"_s);
        QCOMPARE(text(address.masked(32).toString()), u"2001:db8::"_s);
        QCOMPARE(text(address.masked(64).toString()), u"2001:db8:aaaa:bbbb::"_s);
        QCOMPARE(text(address.masked(80).toString()), u"2001:db8:aaaa:bbbb:cccc::"_s);
        QCOMPARE(text(address.masked(127).toString()), u"2001:db8:aaaa:bbbb:cccc:dddd:eeee:fffe"_s);
        QCOMPARE(address.masked(128), address);
    }
};

QTEST_APPLESS_MAIN(TestIpAddress)
#include "tst_ipaddress.moc"
