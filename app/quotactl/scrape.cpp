#include "command.h"
#include "metrics/expositionparser.h"
#include "metrics/gzip.h"
#include "metrics/scraper.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>

#include <cmath>

using namespace Qt::StringLiterals;

namespace qc::cli {

namespace {

QString formatName(metrics::ExpositionFormat format)
{
    return format == metrics::ExpositionFormat::OpenMetrics ? u"openmetrics"_s : u"text"_s;
}

QString number(double value)
{
    if (std::isnan(value))
        return u"NaN"_s;
    if (std::isinf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString escaped(QString text)
{
    return text.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s).replace(u'\n', u"\\n"_s);
}

QString labelsText(const metrics::Labels& labels)
{
    if (labels.empty())
        return {};
    QString text = u"{"_s;
    for (std::size_t i = 0; i < labels.size(); ++i)
        text += (i ? u","_s : QString()) % labels[i].first % u"=\""_s % escaped(labels[i].second)
            % u'"';
    return text % u'}';
}

// One header line per family, then its samples as they would appear in an exposition.
QString describe(const std::vector<metrics::MetricFamily>& families)
{
    QString text;
    std::size_t samples = 0;
    for (const metrics::MetricFamily& family : families) {
        text += u"# "_s % family.name % u" ("_s % metrics::metricTypeName(family.type)
            % (family.unit.isEmpty() ? QString() : u", unit "_s % family.unit) % u")"_s
            % (family.help.isEmpty() ? QString()
                                     : u": "_s % QString(family.help).replace(u'\n', u"\\n"_s))
            % u'\n';
        for (const metrics::Sample& sample : family.samples) {
            text += u"  "_s % sample.name % labelsText(family.labelsOf(sample)) % u' '
                % number(sample.value);
            if (sample.timestampMs)
                text += u" @"_s % QString::number(*sample.timestampMs);
            if (sample.exemplar)
                text += u" # "_s % labelsText(sample.exemplar->labels) % u' '
                    % number(sample.exemplar->value);
            text += u'\n';
        }
        samples += family.samples.size();
    }
    return text % QString::number(families.size()) % u" families, "_s % QString::number(samples)
        % u" samples\n"_s;
}

bool isUrl(const QString& target)
{
    return target.startsWith(u"http://"_s, Qt::CaseInsensitive)
        || target.startsWith(u"https://"_s, Qt::CaseInsensitive);
}

// OpenMetrics pages must end with "# EOF"; a text page practically never does.
metrics::ExpositionFormat guessFormat(const QByteArray& body)
{
    const QByteArray trimmed = body.trimmed();
    return trimmed.endsWith("\n# EOF") || trimmed == "# EOF"
        ? metrics::ExpositionFormat::OpenMetrics
        : metrics::ExpositionFormat::PrometheusText;
}

int scrapeUrl(const QString& url, std::optional<metrics::ExpositionFormat> format, int timeoutMs)
{
    QNetworkAccessManager network;
    metrics::Scraper scraper(&network);
    scraper.setFormatOverride(format);
    metrics::ScrapeResult result;
    QEventLoop loop;
    QObject::connect(
        &scraper, &metrics::Scraper::finished, &loop, [&](const metrics::ScrapeResult& answer) {
            result = answer;
            loop.quit();
        });
    scraper.scrape(metrics::ScrapeTarget { QUrl(url), {}, std::chrono::milliseconds(timeoutMs) });
    loop.exec();
    if (result.parseError) {
        printCommandError(u"scrape"_s,
            url % u':' % result.parseError->toString() % u" (parsed as "_s
                % formatName(result.format) % u", Content-Type '"_s
                % QString::fromLatin1(result.contentType) % u"')"_s);
        return ExitFailure;
    }
    if (!result.health.up) {
        printCommandError(u"scrape"_s, url % u": "_s % result.health.error);
        return ExitFailure;
    }
    printOut(describe(result.families));
    printError(u"scraped "_s % url % u" in "_s % QString::number(result.health.duration.count())
        % u" ms ("_s % formatName(result.format) % u", "_s % QString::number(result.bodyBytes)
        % u" bytes)\n"_s);
    return ExitOk;
}

int scrapeFile(const QString& path, std::optional<metrics::ExpositionFormat> format)
{
    QFile file(path);
    const bool opened
        = path == u"-"_s ? file.open(stdin, QIODevice::ReadOnly) : file.open(QIODevice::ReadOnly);
    if (!opened) {
        printCommandError(u"scrape"_s, path % u": cannot read: "_s % file.errorString());
        return ExitFailure;
    }
    QByteArray body = file.readAll();
    if (metrics::looksGzipped(body)) {
        metrics::DecodedBody decoded = metrics::gunzip(body);
        if (!decoded.error.isEmpty()) {
            printCommandError(u"scrape"_s, path % u": "_s % decoded.error);
            return ExitFailure;
        }
        body = std::move(decoded.bytes);
    }
    const metrics::ExpositionFormat chosen = format.value_or(guessFormat(body));
    const metrics::ParseResult result = metrics::parseExposition(body, chosen);
    if (!result.ok()) {
        printCommandError(u"scrape"_s,
            path % u':' % result.error->toString() % u" (parsed as "_s % formatName(chosen) % u')');
        return ExitFailure;
    }
    printOut(describe(result.families));
    return ExitOk;
}

int run(const QStringList& arguments)
{
    ArgumentParser args(u"scrape"_s, u"URL|FILE [--format text|openmetrics]"_s,
        u"Reads a Prometheus metrics page and prints its metric families (name, type, help, "
        u"samples),\nor the first error with its line:column (exit 1).\n\n"
        u"A URL is fetched as Prometheus 2.42 scrapes (same Accept header, gzip); its "
        u"Content-Type picks\nthe format. A FILE (or '-' for stdin, gzip or plain) is read as "
        u"OpenMetrics when it ends with\n'# EOF', else as text 0.0.4. --format overrides both."_s);
    args.addPositional(
        u"target"_s, u"http(s):// URL of a /metrics endpoint, or a file."_s, u"URL|FILE"_s);
    const QCommandLineOption formatOption(
        u"format"_s, u"Parse as 'text' (0.0.4) or 'openmetrics' (1.0)."_s, u"format"_s);
    const QCommandLineOption timeoutOption(
        u"timeout"_s, u"Seconds to wait for a URL (default 10)."_s, u"seconds"_s, u"10"_s);
    args.addOption(formatOption);
    args.addOption(timeoutOption);
    if (const auto exit = args.parse(arguments))
        return *exit;
    const QStringList positional = args.parser().positionalArguments();
    if (positional.size() != 1)
        return args.usageError(
            positional.isEmpty() ? u"no URL or file given"_s : u"give exactly one URL or file"_s);
    std::optional<metrics::ExpositionFormat> format;
    if (args.parser().isSet(formatOption)) {
        const QString value = args.parser().value(formatOption);
        if (value == u"text"_s)
            format = metrics::ExpositionFormat::PrometheusText;
        else if (value == u"openmetrics"_s)
            format = metrics::ExpositionFormat::OpenMetrics;
        else
            return args.usageError(
                u"--format must be 'text' or 'openmetrics', not '"_s % value % u'\'');
    }
    bool validTimeout = false;
    const double timeout = args.parser().value(timeoutOption).toDouble(&validTimeout);
    if (!validTimeout || timeout <= 0)
        return args.usageError(u"--timeout must be a positive number of seconds"_s);
    const QString& target = positional.constFirst();
    return isUrl(target) ? scrapeUrl(target, format, int(timeout * 1000))
                         : scrapeFile(target, format);
}

} // namespace

const Command scrapeCommand { "scrape",
    "Reads a /metrics page (URL or file) and prints its families", &run };

} // namespace qc::cli
