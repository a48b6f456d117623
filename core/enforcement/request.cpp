#include "request.h"

#include "prefetch.h"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace qc::enforcement {

namespace {

constexpr std::uint32_t kNotFound = UINT32_MAX;
constexpr std::size_t kChunkBytes = 64 * 1024;

// The bytes p[0..n) (n <= 8) as the low bytes of a word, the rest zero, without reading outside
// them: overlapping loads instead of a variable-length copy (a call per text otherwise).
inline std::uint64_t loadPartial(const char* p, std::size_t n)
{
    if (n >= 4) {
        std::uint32_t low;
        std::uint32_t high;
        std::memcpy(&low, p, 4);
        std::memcpy(&high, p + n - 4, 4);
        return std::uint64_t(low) | ((std::uint64_t(high) >> (8 * (8 - n))) << 32);
    }
    if (n == 0)
        return 0;
    const auto b0 = static_cast<unsigned char>(p[0]);
    const auto bMid = static_cast<unsigned char>(p[n >> 1]);
    const auto bLast = static_cast<unsigned char>(p[n - 1]);
    return std::uint64_t(b0) | (std::uint64_t(bMid) << (8 * (n >> 1)))
        | (std::uint64_t(bLast) << (8 * (n - 1)));
}

inline std::uint64_t loadWord(const char* p)
{
    std::uint64_t word;
    std::memcpy(&word, p, 8);
    return word;
}

std::uint64_t hashText(std::string_view text)
{
    // FNV-1a over 8-byte words with a final avalanche: fast for short keys, good enough spread
    // for an open-addressing table with linear probing.
    std::uint64_t h = 0xcbf29ce484222325ULL ^ (text.size() * 0x9e3779b97f4a7c15ULL);
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        h = (h ^ loadWord(text.data() + i)) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    const std::uint64_t tail = loadPartial(text.data() + i, text.size() - i);
    h = (h ^ tail) * 0x100000001b3ULL;
    h ^= h >> 32;
    h *= 0xd6e8feb86659fd93ULL;
    h ^= h >> 32;
    return h;
}

// Texts up to this many bytes are kept inline in their hash slot (see FieldTable).
constexpr std::size_t kInlineBytes = 23;
constexpr unsigned char kLongMarker = 0xFF;

// The key of a text as its slot stores it: byte 0 is the length, bytes 1..23 the text padded
// with zeros, so equality of two short texts is three word compares. Long texts store only the
// marker; they are compared through `texts`.
struct SlotKey {
    std::uint64_t words[3] = { 0, 0, 0 };

    SlotKey() = default;
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    explicit SlotKey(std::string_view text)
    {
        // Byte 0 the length, then the text: words 0..2 are the text shifted by one byte.
        const std::size_t n = text.size();
        if (n > kInlineBytes) {
            words[0] = kLongMarker;
            return;
        }
        const char* p = text.data();
        std::uint64_t t0 = 0;
        std::uint64_t t1 = 0;
        std::uint64_t t2 = 0;
        if (n >= 16) {
            t0 = loadWord(p);
            t1 = loadWord(p + 8);
            t2 = loadPartial(p + 16, n - 16);
        } else if (n >= 8) {
            t0 = loadWord(p);
            t1 = loadPartial(p + 8, n - 8);
        } else {
            t0 = loadPartial(p, n);
        }
        words[0] = (t0 << 8) | n;
        words[1] = (t0 >> 56) | (t1 << 8);
        words[2] = (t1 >> 56) | (t2 << 8);
    }

    bool isLong() const
    {
        return (words[0] & 0xFF) == kLongMarker;
    }

    // Hash of a short text straight from its key words (the length is part of word 0).
    std::uint64_t shortHash() const
    {
        std::uint64_t h = (words[0] ^ 0x9e3779b97f4a7c15ULL) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
        h = (h ^ words[1]) * 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 29;
        h = (h ^ words[2]) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
        return h;
    }
};

inline std::uint32_t hashOf(const SlotKey& key, std::string_view text)
{
    return static_cast<std::uint32_t>(key.isLong() ? hashText(text) : key.shortHash());
}

// One hash slot: half a cache line. Short texts (addresses, user ids, keys, hashes) are
// compared right here, so a lookup touches one cache line; longer ones compare the 32-bit hash
// first and only then the stored text.
struct alignas(32) Slot {
    std::uint32_t hash;
    std::uint32_t idPlus1; // 0 = empty
    std::uint64_t key[3];
};
static_assert(sizeof(Slot) == 32);

// Zeroed slot storage. Big tables come straight from mmap (already zero, faulted in lazily) and
// ask for transparent huge pages: a table of millions of slots is probed at random, and with
// 4 KiB pages nearly every probe is a TLB miss and every first touch a page fault.
class SlotArray {
public:
    SlotArray() = default;
    explicit SlotArray(std::size_t count)
        : m_size(count)
        , m_bytes(count * sizeof(Slot))
    {
#if defined(__linux__)
        if (m_bytes >= kHugeThreshold) {
            void* p = ::mmap(
                nullptr, m_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p != MAP_FAILED) {
                ::madvise(p, m_bytes, MADV_HUGEPAGE);
                m_data = static_cast<Slot*>(p);
                m_mapped = true;
                return;
            }
        }
#endif
        m_data = static_cast<Slot*>(std::calloc(count, sizeof(Slot)));
        if (!m_data)
            throw std::bad_alloc();
    }
    SlotArray(SlotArray&& other) noexcept
    {
        swap(other);
    }
    SlotArray& operator=(SlotArray&& other) noexcept
    {
        SlotArray moved(std::move(other));
        swap(moved);
        return *this;
    }
    SlotArray(const SlotArray&) = delete;
    SlotArray& operator=(const SlotArray&) = delete;
    ~SlotArray()
    {
#if defined(__linux__)
        if (m_mapped) {
            ::munmap(m_data, m_bytes);
            return;
        }
#endif
        std::free(m_data);
    }

    std::size_t size() const
    {
        return m_size;
    }
    bool empty() const
    {
        return m_size == 0;
    }
    Slot& operator[](std::size_t i)
    {
        return m_data[i];
    }
    const Slot& operator[](std::size_t i) const
    {
        return m_data[i];
    }
    const Slot* begin() const
    {
        return m_data;
    }
    const Slot* end() const
    {
        return m_data + m_size;
    }

private:
    static constexpr std::size_t kHugeThreshold = 2 * 1024 * 1024;

    void swap(SlotArray& other) noexcept
    {
        std::swap(m_data, other.m_data);
        std::swap(m_size, other.m_size);
        std::swap(m_bytes, other.m_bytes);
        std::swap(m_mapped, other.m_mapped);
    }

    Slot* m_data = nullptr;
    std::size_t m_size = 0;
    std::size_t m_bytes = 0;
    bool m_mapped = false;
};

// The text of each id, in segments that never move (segment k holds 2^k * 1024 ids), so that
// a thread may read the texts of ids it was handed while another thread adds more.
class TextIndex {
public:
    TextIndex() { push({}); } // id 0 is the empty text

    std::uint32_t size() const { return m_size.load(std::memory_order_acquire); }

    std::string_view operator[](std::uint32_t id) const
    {
        const auto [segment, offset] = locate(id);
        const View& view = m_segments[segment][offset];
        return { view.data, view.size };
    }

    std::uint32_t push(std::string_view text)
    {
        const std::uint32_t id = m_size.load(std::memory_order_relaxed);
        const auto [segment, offset] = locate(id);
        if (!m_segments[segment]) [[unlikely]] {
            m_segments[segment].reset(new View[std::size_t(kFirst) << segment]);
            m_bytes += (std::size_t(kFirst) << segment) * sizeof(View);
        }
        m_segments[segment][offset] = View { text.data(), text.size() };
        m_size.store(id + 1, std::memory_order_release);
        return id;
    }

    std::size_t memoryBytes() const { return m_bytes; }

private:
    struct View {
        const char* data;
        std::size_t size;
    };
    static constexpr std::uint32_t kFirstBits = 10;
    static constexpr std::uint32_t kFirst = 1U << kFirstBits;

    static std::pair<std::size_t, std::size_t> locate(std::uint32_t id)
    {
        const std::uint64_t scaled = (std::uint64_t(id) >> kFirstBits) + 1;
        const auto segment = static_cast<std::size_t>(63 - __builtin_clzll(scaled));
        return { segment, std::size_t(id) - (((std::size_t(1) << segment) - 1) << kFirstBits) };
    }

    std::unique_ptr<View[]> m_segments[23]; // (2^23 - 1) * 1024 ids: more than 32 bits
    std::atomic<std::uint32_t> m_size { 0 };
    std::size_t m_bytes = 0;
};

// A few recently interned texts by their first bytes. For the fields with few distinct values
// (plans, endpoints, methods, countries, user agents, models) most lookups are then one compare
// instead of a hash of the whole text and a probe.
class RecentTexts {
public:
    static constexpr std::uint32_t kMaxTableSize = 4096; // beyond: a field of many values

    std::uint32_t find(std::string_view text) const
    {
        const std::uint64_t head = headOf(text);
        const std::size_t n = text.size();
        const Entry& e = m_entries[indexOf(head, n)];
        if (e.size != n || e.head != head)
            return kNotFound;
        // Up to 16 bytes, the head and the last 8 bytes cover the text (endpoints, models).
        if (n <= 8)
            return e.id;
        if (n <= 16)
            return loadWord(e.text + n - 8) == loadWord(text.data() + n - 8) ? e.id : kNotFound;
        return std::memcmp(e.text + 8, text.data() + 8, n - 8) == 0 ? e.id : kNotFound;
    }

    /// `stored` must stay valid (the table's copy of the text).
    void remember(std::string_view stored, std::uint32_t id)
    {
        const std::uint64_t head = headOf(stored);
        m_entries[indexOf(head, stored.size())]
            = Entry { head, stored.data(), static_cast<std::uint32_t>(stored.size()), id };
    }

private:
    struct Entry {
        std::uint64_t head = 0;
        const char* text = nullptr;
        std::uint32_t size = 0; // 0 = empty: the empty text is never looked up here
        std::uint32_t id = 0;
    };
    static constexpr std::size_t kEntries = 64;

    static std::uint64_t headOf(std::string_view text)
    {
        return text.size() >= 8 ? loadWord(text.data()) : loadPartial(text.data(), text.size());
    }
    static std::size_t indexOf(std::uint64_t head, std::size_t size)
    {
        return static_cast<std::size_t>(((head ^ size) * 0x9e3779b97f4a7c15ULL) >> 58);
    }

    Entry m_entries[kEntries];
};

// One id space: texts live in fixed chunks so views handed out stay valid as more are added.
// Only one thread adds texts to a table; others may read the texts of ids below size().
struct FieldTable {
    RecentTexts recent;
    std::vector<std::unique_ptr<char[]>> chunks;
    std::vector<std::unique_ptr<char[]>> bigTexts;
    std::size_t chunkUsed = kChunkBytes;
    std::size_t chunkBytesTotal = 0;
    TextIndex texts;
    SlotArray slots;
    std::size_t mask = 0;
    // Append-only tables give every text a new id: request ids are unique per request and are
    // only ever turned back into text, so de-duplicating them would be pure cost.
    bool appendOnly = false;

    std::string_view store(std::string_view text)
    {
        if (text.size() > kChunkBytes / 4) {
            // A long text gets its own block; the current chunk keeps filling.
            bigTexts.emplace_back(new char[text.size()]);
            chunkBytesTotal += text.size();
            std::memcpy(bigTexts.back().get(), text.data(), text.size());
            return { bigTexts.back().get(), text.size() };
        }
        if (chunkUsed + text.size() > kChunkBytes) {
            chunks.emplace_back(new char[kChunkBytes]);
            chunkBytesTotal += kChunkBytes;
            chunkUsed = 0;
        }
        char* out = chunks.back().get() + chunkUsed;
        std::memcpy(out, text.data(), text.size());
        chunkUsed += text.size();
        return { out, text.size() };
    }

    void rehash(std::size_t capacity)
    {
        SlotArray old = std::move(slots);
        slots = SlotArray(capacity);
        mask = capacity - 1;
        for (const Slot& value : old) {
            if (value.idPlus1 == 0)
                continue;
            std::size_t slot = value.hash & mask;
            while (slots[slot].idPlus1 != 0)
                slot = (slot + 1) & mask;
            slots[slot] = value;
        }
    }

    // Slot index holding text, or of the empty slot where it would go.
#if defined(__GNUC__)
    [[gnu::always_inline]]
#endif
    std::size_t
    probe(const SlotKey& key, std::uint32_t h32, std::string_view text) const
    {
        std::size_t slot = h32 & mask;
        if (!key.isLong()) {
            for (;;) {
                const Slot& s = slots[slot];
                if (s.idPlus1 == 0
                    || (s.key[0] == key.words[0] && s.key[1] == key.words[1]
                        && s.key[2] == key.words[2]))
                    return slot;
                slot = (slot + 1) & mask;
            }
        }
        for (;;) {
            const Slot& s = slots[slot];
            if (s.idPlus1 == 0
                || (s.hash == h32 && s.key[0] == key.words[0] && texts[s.idPlus1 - 1] == text))
                return slot;
            slot = (slot + 1) & mask;
        }
    }

    std::uint32_t find(std::string_view text) const
    {
        if (appendOnly) {
            for (std::uint32_t id = 1, n = texts.size(); id < n; ++id) {
                if (texts[id] == text)
                    return id;
            }
            return kNotFound;
        }
        if (slots.empty())
            return kNotFound;
        const SlotKey key(text);
        const Slot& s = slots[probe(key, hashOf(key, text), text)];
        return s.idPlus1 == 0 ? kNotFound : s.idPlus1 - 1;
    }

    void reserve(std::size_t count)
    {
        if (appendOnly)
            return;
        std::size_t capacity = 16;
        while (capacity * 3 < count * 4)
            capacity *= 2;
        if (capacity > slots.size())
            rehash(capacity);
    }

    std::uint32_t append(std::string_view text)
    {
        return texts.push(store(text));
    }

    std::uint32_t intern(std::string_view text)
    {
        if (text.empty())
            return 0;
        if (appendOnly)
            return append(text);
        if (texts.size() <= RecentTexts::kMaxTableSize) {
            if (const std::uint32_t id = recent.find(text); id != kNotFound)
                return id;
            const SlotKey key(text);
            const std::uint32_t id = intern(text, key, hashOf(key, text));
            recent.remember(texts[id], id);
            return id;
        }
        const SlotKey key(text);
        return intern(text, key, hashOf(key, text));
    }

    // Starts loading the slot a text hashes to, so that several lookups overlap their misses.
    void prefetch(std::uint32_t h32) const
    {
        if (slots.empty())
            return;
        prefetchForRead(slots.begin() + (h32 & mask));
    }

    std::uint32_t intern(std::string_view text, const SlotKey& key, std::uint32_t h32)
    {
        if (slots.empty()) [[unlikely]]
            return insert(text, key, h32, 0);
        const std::size_t slot = probe(key, h32, text);
        if (slots[slot].idPlus1 != 0) [[likely]]
            return slots[slot].idPlus1 - 1;
        return insert(text, key, h32, slot);
    }

#if defined(__GNUC__)
    [[gnu::noinline]]
#endif
    std::uint32_t
    insert(std::string_view text, const SlotKey& key, std::uint32_t h32, std::size_t slot)
    {
        // Load factor at most 3/4: probe chains stay short (short keys compare in the slot),
        // and the tables of millions of addresses and keys stay smaller.
        if ((texts.size() + 1) * 4 > slots.size() * 3) {
            rehash(slots.empty() ? 16 : slots.size() * 2);
            slot = probe(key, h32, text);
        }
        const std::uint32_t id = texts.push(store(text));
        Slot& s = slots[slot];
        s.hash = h32;
        s.idPlus1 = id + 1;
        s.key[0] = key.words[0];
        s.key[1] = key.words[1];
        s.key[2] = key.words[2];
        return id;
    }

    std::size_t memoryBytes() const
    {
        return chunkBytesTotal + (chunks.capacity() + bigTexts.capacity()) * sizeof(chunks[0])
            + texts.memoryBytes() + slots.size() * sizeof(Slot);
    }
};

} // namespace

struct Dictionary::Impl {
    std::array<FieldTable, kFieldCount> fields;
};

Dictionary::Dictionary()
    : d(std::make_unique<Impl>())
{
    d->fields[static_cast<std::size_t>(Field::RequestId)].appendOnly = true;
}

Dictionary::~Dictionary() = default;

std::uint32_t Dictionary::intern(Field field, std::string_view text)
{
    return d->fields[static_cast<std::size_t>(field)].intern(text);
}

std::uint32_t Dictionary::find(Field field, std::string_view text) const
{
    if (text.empty())
        return 0;
    return d->fields[static_cast<std::size_t>(field)].find(text);
}

void Dictionary::reserve(Field field, std::size_t count)
{
    d->fields[static_cast<std::size_t>(field)].reserve(count);
}

std::string_view Dictionary::text(Field field, std::uint32_t id) const
{
    const FieldTable& table = d->fields[static_cast<std::size_t>(field)];
    return id < table.texts.size() ? table.texts[id] : std::string_view();
}

std::uint32_t Dictionary::size(Field field) const
{
    return d->fields[static_cast<std::size_t>(field)].texts.size();
}

std::size_t Dictionary::memoryBytes() const
{
    std::size_t total = sizeof(Impl);
    for (const FieldTable& table : d->fields)
        total += table.memoryBytes();
    return total;
}

namespace {

constexpr std::size_t kLookups = 11;
constexpr Field kLookupFields[kLookups] = { Field::Ip, Field::ForwardedFor, Field::User,
    Field::Plan, Field::Endpoint, Field::Method, Field::UserAgent, Field::Country,
    Field::IdempotencyKey, Field::RequestHash, Field::Model };

// The member of Request that holds each lookup's text (in the order of kLookupFields).
constexpr std::string_view Request::*kLookupMembers[kLookups]
    = { &Request::ip, &Request::forwardedFor, &Request::userId, &Request::plan, &Request::endpoint,
          &Request::method, &Request::userAgent, &Request::country, &Request::idempotencyKey,
          &Request::requestHash, &Request::model };

inline void lookupTexts(const Request& request, std::string_view (&texts)[kLookups])
{
    for (std::size_t i = 0; i < kLookups; ++i)
        texts[i] = request.*kLookupMembers[i];
}

} // namespace

void Dictionary::prepare(const Request& request, PreparedRequest& prepared) const
{
    // The lookups of one request go to a dozen big tables: hash them all and start every slot
    // load first, so the cache misses overlap instead of being paid one after the other. Texts
    // of the fields with few values are mostly found in their recent-texts cache right here.
    std::string_view texts[kLookups];
    lookupTexts(request, texts);
    prepared.known = 0;
    prepared.hashed = 0;
    for (std::size_t i = 0; i < kLookups; ++i) {
        if (texts[i].empty())
            continue;
        const FieldTable& table = d->fields[static_cast<std::size_t>(kLookupFields[i])];
        if (table.texts.size() <= RecentTexts::kMaxTableSize) {
            if (const std::uint32_t id = table.recent.find(texts[i]); id != kNotFound) {
                prepared.hashes[i] = id;
                prepared.known |= 1U << i;
                continue;
            }
        }
        const SlotKey key(texts[i]);
        std::memcpy(prepared.keys[i], key.words, sizeof(key.words));
        prepared.hashes[i] = hashOf(key, texts[i]);
        prepared.hashed |= 1U << i;
        table.prefetch(prepared.hashes[i]);
    }
}

namespace {

// The text of lookup I (an index into kLookupFields) of a request.
template<std::size_t I> inline std::string_view lookupText(const Request& request)
{
    return request.*kLookupMembers[I];
}

template<std::size_t I> inline void hashOne(const Request& request, PreparedRequest& prepared)
{
    const std::string_view text = lookupText<I>(request);
    if (text.empty())
        return;
    const SlotKey key(text);
    std::memcpy(prepared.keys[I], key.words, sizeof(key.words));
    prepared.hashes[I] = hashOf(key, text);
    prepared.hashed |= 1U << I;
}

// The lookups (bits of indexes into kLookupFields) of the fields with many distinct values,
// which Dictionary::hash hashes: ip, forwarded_for, user, idempotency_key, request_hash.
constexpr std::uint32_t kManyValuedBits = (1U << 0) | (1U << 1) | (1U << 2) | (1U << 8) | (1U << 9);

} // namespace

void Dictionary::hash(const Request& request, PreparedRequest& prepared)
{
    // One call per field of many values, unrolled: each compiles to its own few instructions.
    prepared.known = 0;
    prepared.hashed = 0;
    hashOne<0>(request, prepared);
    hashOne<1>(request, prepared);
    hashOne<2>(request, prepared);
    hashOne<8>(request, prepared);
    hashOne<9>(request, prepared);
}

void Dictionary::prefetch(const PreparedRequest& prepared) const
{
    // Only the tables too big for the recent-texts cache: the small ones stay in cache anyway.
    for (std::uint32_t bits = prepared.hashed & kManyValuedBits; bits != 0; bits &= bits - 1) {
        const auto i = static_cast<std::size_t>(__builtin_ctz(bits));
        const FieldTable& table = d->fields[static_cast<std::size_t>(kLookupFields[i])];
        if (table.texts.size() > RecentTexts::kMaxTableSize)
            table.prefetch(prepared.hashes[i]);
    }
}

namespace {

// The id of lookup I of a request, for Dictionary::encode.
template<std::size_t I>
inline std::uint32_t encodeOne(std::array<FieldTable, kFieldCount>& fields, const Request& request,
    const PreparedRequest& prepared)
{
    const std::string_view text = lookupText<I>(request);
    if (text.empty())
        return 0;
    if (prepared.known & (1U << I))
        return prepared.hashes[I];
    FieldTable& table = fields[static_cast<std::size_t>(kLookupFields[I])];
    const bool small = table.texts.size() <= RecentTexts::kMaxTableSize;
    std::uint32_t id;
    if (prepared.hashed & (1U << I)) {
        SlotKey key;
        std::memcpy(key.words, prepared.keys[I], sizeof(key.words));
        id = table.intern(text, key, prepared.hashes[I]);
    } else {
        // Not hashed yet (Dictionary::hash leaves the fields of few values to this).
        if (small) {
            if (const std::uint32_t found = table.recent.find(text); found != kNotFound)
                return found;
        }
        const SlotKey key(text);
        id = table.intern(text, key, hashOf(key, text));
    }
    if (small)
        table.recent.remember(table.texts[id], id);
    return id;
}

} // namespace

EncodedRequest Dictionary::encode(const Request& request, const PreparedRequest& prepared)
{
    EncodedRequest out;
    out.ts = request.ts;
    out.costMicroUsd = request.costMicroUsd;
    out.tokens = request.tokens;
    out.responseMs = request.responseMs;
    auto& fields = d->fields;
    if (!request.requestId.empty())
        out.requestId
            = fields[static_cast<std::size_t>(Field::RequestId)].append(request.requestId);
    // One step per field, unrolled (each knows its table), in the order of kLookupFields.
    out.ip = encodeOne<0>(fields, request, prepared);
    out.forwardedFor = encodeOne<1>(fields, request, prepared);
    out.user = encodeOne<2>(fields, request, prepared);
    out.plan = encodeOne<3>(fields, request, prepared);
    out.endpoint = encodeOne<4>(fields, request, prepared);
    out.method = encodeOne<5>(fields, request, prepared);
    out.userAgent = encodeOne<6>(fields, request, prepared);
    out.country = encodeOne<7>(fields, request, prepared);
    out.idempotencyKey = encodeOne<8>(fields, request, prepared);
    out.requestHash = encodeOne<9>(fields, request, prepared);
    out.model = encodeOne<10>(fields, request, prepared);
    return out;
}

EncodedRequest encode(Dictionary& dictionary, const Request& request)
{
    PreparedRequest prepared;
    dictionary.prepare(request, prepared);
    return dictionary.encode(request, prepared);
}

Request decode(const Dictionary& dictionary, const EncodedRequest& request)
{
    Request out;
    out.ts = request.ts;
    out.costMicroUsd = request.costMicroUsd;
    out.tokens = request.tokens;
    out.responseMs = request.responseMs;
    out.requestId = dictionary.text(Field::RequestId, request.requestId);
    out.ip = dictionary.text(Field::Ip, request.ip);
    out.forwardedFor = dictionary.text(Field::ForwardedFor, request.forwardedFor);
    out.userId = dictionary.text(Field::User, request.user);
    out.plan = dictionary.text(Field::Plan, request.plan);
    out.endpoint = dictionary.text(Field::Endpoint, request.endpoint);
    out.method = dictionary.text(Field::Method, request.method);
    out.userAgent = dictionary.text(Field::UserAgent, request.userAgent);
    out.country = dictionary.text(Field::Country, request.country);
    out.idempotencyKey = dictionary.text(Field::IdempotencyKey, request.idempotencyKey);
    out.requestHash = dictionary.text(Field::RequestHash, request.requestHash);
    out.model = dictionary.text(Field::Model, request.model);
    return out;
}

} // namespace qc::enforcement
