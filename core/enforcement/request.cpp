#include "request.h"

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

std::uint64_t hashText(std::string_view text)
{
    // FNV-1a over 8-byte words with a final avalanche: fast for short keys, good enough spread
    // for an open-addressing table with linear probing.
    std::uint64_t h = 0xcbf29ce484222325ULL ^ (text.size() * 0x9e3779b97f4a7c15ULL);
    std::size_t i = 0;
    for (; i + 8 <= text.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, text.data() + i, 8);
        h = (h ^ word) * 0x100000001b3ULL;
        h ^= h >> 29;
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, text.data() + i, text.size() - i);
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

    explicit SlotKey(std::string_view text)
    {
        unsigned char bytes[24] = {};
        if (text.size() <= kInlineBytes) {
            bytes[0] = static_cast<unsigned char>(text.size());
            std::memcpy(bytes + 1, text.data(), text.size());
        } else {
            bytes[0] = kLongMarker;
        }
        std::memcpy(words, bytes, sizeof(bytes));
    }

    bool isLong() const { return (words[0] & 0xFF) == kLongMarker; }

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

std::uint32_t hashOf(const SlotKey& key, std::string_view text)
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

// One id space: texts live in fixed chunks so views handed out stay valid as more are added.
struct FieldTable {
    std::vector<std::unique_ptr<char[]>> chunks;
    std::vector<std::unique_ptr<char[]>> bigTexts;
    std::size_t chunkUsed = kChunkBytes;
    std::size_t chunkBytesTotal = 0;
    std::vector<std::string_view> texts { std::string_view() };
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
    std::size_t probe(const SlotKey& key, std::uint32_t h32, std::string_view text) const
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
            for (std::uint32_t id = 1; id < texts.size(); ++id) {
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
        texts.reserve(count + 1);
        if (appendOnly)
            return;
        std::size_t capacity = 16;
        while (capacity < count * 2)
            capacity *= 2;
        if (capacity > slots.size())
            rehash(capacity);
    }

    std::uint32_t intern(std::string_view text)
    {
        if (text.empty())
            return 0;
        if (appendOnly) {
            texts.push_back(store(text));
            return static_cast<std::uint32_t>(texts.size() - 1);
        }
        const SlotKey key(text);
        return intern(text, key, hashOf(key, text));
    }

    // Starts loading the slot a text hashes to, so that several lookups overlap their misses.
    void prefetch(std::uint32_t h32) const
    {
        if (!slots.empty())
            __builtin_prefetch(&slots[h32 & mask]);
    }

    std::uint32_t intern(std::string_view text, const SlotKey& key, std::uint32_t h32)
    {
        std::size_t slot = 0;
        if (!slots.empty()) {
            slot = probe(key, h32, text);
            if (slots[slot].idPlus1 != 0)
                return slots[slot].idPlus1 - 1;
        }
        // Load factor at most 1/2 keeps probe chains short.
        if ((texts.size() + 1) * 2 > slots.size()) {
            rehash(slots.empty() ? 16 : slots.size() * 2);
            slot = probe(key, h32, text);
        }
        const auto id = static_cast<std::uint32_t>(texts.size());
        texts.push_back(store(text));
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
            + texts.capacity() * sizeof(std::string_view) + slots.size() * sizeof(Slot);
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
    return static_cast<std::uint32_t>(d->fields[static_cast<std::size_t>(field)].texts.size());
}

std::size_t Dictionary::memoryBytes() const
{
    std::size_t total = sizeof(Impl);
    for (const FieldTable& table : d->fields)
        total += table.memoryBytes();
    return total;
}

EncodedRequest encode(Dictionary& dictionary, const Request& request)
{
    EncodedRequest out;
    out.ts = request.ts;
    out.costMicroUsd = request.costMicroUsd;
    out.tokens = request.tokens;
    out.responseMs = request.responseMs;
    out.requestId = dictionary.intern(Field::RequestId, request.requestId);
    // The lookups of one request go to a dozen big tables: hash them all and start every slot
    // load first, so the cache misses overlap instead of being paid one after the other.
    struct Pending {
        Field field;
        std::string_view text;
        std::uint32_t* id;
    };
    const Pending pending[] = {
        { Field::Ip, request.ip, &out.ip },
        { Field::ForwardedFor, request.forwardedFor, &out.forwardedFor },
        { Field::User, request.userId, &out.user },
        { Field::Plan, request.plan, &out.plan },
        { Field::Endpoint, request.endpoint, &out.endpoint },
        { Field::Method, request.method, &out.method },
        { Field::UserAgent, request.userAgent, &out.userAgent },
        { Field::Country, request.country, &out.country },
        { Field::IdempotencyKey, request.idempotencyKey, &out.idempotencyKey },
        { Field::RequestHash, request.requestHash, &out.requestHash },
        { Field::Model, request.model, &out.model },
    };
    constexpr std::size_t kPending = sizeof(pending) / sizeof(pending[0]);
    SlotKey keys[kPending] = { SlotKey({}), SlotKey({}), SlotKey({}), SlotKey({}), SlotKey({}),
        SlotKey({}), SlotKey({}), SlotKey({}), SlotKey({}), SlotKey({}), SlotKey({}) };
    std::uint32_t hashes[kPending] = {};
    auto& fields = dictionary.d->fields;
    for (std::size_t i = 0; i < kPending; ++i) {
        if (pending[i].text.empty())
            continue;
        keys[i] = SlotKey(pending[i].text);
        hashes[i] = hashOf(keys[i], pending[i].text);
        fields[static_cast<std::size_t>(pending[i].field)].prefetch(hashes[i]);
    }
    for (std::size_t i = 0; i < kPending; ++i) {
        *pending[i].id = pending[i].text.empty()
            ? 0
            : fields[static_cast<std::size_t>(pending[i].field)].intern(
                pending[i].text, keys[i], hashes[i]);
    }
    return out;
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
