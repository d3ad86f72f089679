/*
 * The MADT through ACPI's root pointer (ACPI 6.5, sections 5.2.5 to 5.2.12). Every table is
 * checked before it is believed: its signature, a length that covers its own header and entries,
 * and a checksum that makes its bytes sum to zero.
 */
#include <lib/acpi.h>

#include <lib/format.h>
#include <lib/string.h>

#define RSDP_V1_SIZE     20u
#define RSDP_V2_SIZE     36u
#define SDT_HEADER_SIZE  36u
#define MADT_ENTRIES_AT  44u
#define MADT_LOCAL_APIC  0
#define MADT_IO_APIC     1
#define MADT_OVERRIDE    2
#define MADT_LAPIC_ADDR  5
#define LAPIC_ENABLED    1u
#define LAPIC_ONLINE_CAP 2u
#define MAX_TABLES       64u /* entries of the RSDT/XSDT looked at */

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
    return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static bool sums_to_zero(const uint8_t *p, uint32_t n)
{
    uint8_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        sum = (uint8_t)(sum + p[i]);
    }
    return sum == 0;
}

/* The whole table at phys with signature sig, checked; NULL with why filled in otherwise. */
static const uint8_t *map_table(uint64_t phys, const char *sig, acpi_map_fn map, char *why,
                                uint32_t why_size)
{
    const uint8_t *head = map(phys, SDT_HEADER_SIZE);
    if (head == NULL) {
        format_snprintf(why, why_size, "ACPI: table at 0x%llx is out of reach",
                        (unsigned long long)phys);
        return NULL;
    }
    if (sig != NULL && memcmp(head, sig, 4) != 0) {
        format_snprintf(why, why_size, "ACPI: table at 0x%llx is not %s", (unsigned long long)phys,
                        sig);
        return NULL;
    }
    uint32_t length = le32(head + 4);
    if (length < SDT_HEADER_SIZE || length > 1u << 20) {
        format_snprintf(why, why_size, "ACPI: %.4s at 0x%llx has a bad length %u", head,
                        (unsigned long long)phys, length);
        return NULL;
    }
    const uint8_t *table = map(phys, length);
    if (table == NULL || !sums_to_zero(table, length)) {
        format_snprintf(why, why_size, "ACPI: %.4s at 0x%llx: %s", head, (unsigned long long)phys,
                        table ? "bad checksum" : "out of reach");
        return NULL;
    }
    return table;
}

/* The MADT's address from the RSDT (4-byte entries) or XSDT (8-byte entries); 0 if absent. */
static uint64_t find_madt(const uint8_t *sdt, unsigned entry_size, acpi_map_fn map)
{
    uint32_t count = (le32(sdt + 4) - SDT_HEADER_SIZE) / entry_size;
    for (uint32_t i = 0; i < count && i < MAX_TABLES; i++) {
        const uint8_t *e = sdt + SDT_HEADER_SIZE + i * entry_size;
        uint64_t phys = entry_size == 8 ? le64(e) : le32(e);
        const uint8_t *head = map(phys, SDT_HEADER_SIZE);
        if (head != NULL && memcmp(head, "APIC", 4) == 0) {
            return phys;
        }
    }
    return 0;
}

static void read_entry(const uint8_t *e, uint8_t len, struct acpi_madt *out)
{
    switch (e[0]) {
    case MADT_LOCAL_APIC:
        if (len >= 8 && (le32(e + 4) & (LAPIC_ENABLED | LAPIC_ONLINE_CAP)) != 0) {
            if (out->cpu_count < ACPI_MAX_CPUS) {
                out->apic_ids[out->cpu_count++] = e[3];
            } else {
                out->cpus_ignored++;
            }
        }
        break;
    case MADT_IO_APIC:
        if (len >= 12 && !out->has_ioapic) {
            out->has_ioapic = true;
            out->ioapic_id = e[2];
            out->ioapic_phys = le32(e + 4);
            out->ioapic_gsi_base = le32(e + 8);
        }
        break;
    case MADT_OVERRIDE:
        if (len >= 10 && e[2] == 0 && e[3] < 16) { /* bus 0: ISA */
            out->isa_gsi[e[3]] = le32(e + 4);
            out->isa_flags[e[3]] = (uint16_t)(e[8] | e[9] << 8);
        }
        break;
    case MADT_LAPIC_ADDR:
        if (len >= 12 && le64(e + 4) < (1ull << 32)) {
            out->lapic_phys = (uint32_t)le64(e + 4);
        }
        break;
    default:
        break; /* x2APIC and NMI entries: not used */
    }
}

int acpi_read_madt(const void *rsdp, uint32_t rsdp_size, acpi_map_fn map, struct acpi_madt *out,
                   char *why, uint32_t why_size)
{
    memset(out, 0, sizeof(*out));
    for (unsigned i = 0; i < 16; i++) {
        out->isa_gsi[i] = i; /* identity unless an override says otherwise */
    }
    const uint8_t *r = rsdp;
    if (r == NULL || rsdp_size < RSDP_V1_SIZE || memcmp(r, "RSD PTR ", 8) != 0 ||
        !sums_to_zero(r, RSDP_V1_SIZE)) {
        format_snprintf(why, why_size, "ACPI: no valid root pointer (RSDP)");
        return -1;
    }
    const uint8_t *sdt = NULL;
    unsigned entry_size = 4;
    if (r[15] >= 2 && rsdp_size >= RSDP_V2_SIZE && sums_to_zero(r, RSDP_V2_SIZE) &&
        le64(r + 24) != 0) {
        sdt = map_table(le64(r + 24), "XSDT", map, why, why_size);
        entry_size = 8;
    }
    if (sdt == NULL) {
        sdt = map_table(le32(r + 16), "RSDT", map, why, why_size);
        entry_size = 4;
    }
    if (sdt == NULL) {
        return -1;
    }
    memcpy(out->table_path, entry_size == 8 ? "XSDT" : "RSDT", 5);
    uint64_t madt_phys = find_madt(sdt, entry_size, map);
    if (madt_phys == 0) {
        format_snprintf(why, why_size, "ACPI: the %s lists no MADT", out->table_path);
        return -1;
    }
    const uint8_t *madt = map_table(madt_phys, "APIC", map, why, why_size);
    if (madt == NULL) {
        return -1;
    }
    uint32_t length = le32(madt + 4);
    if (length < MADT_ENTRIES_AT) {
        format_snprintf(why, why_size, "ACPI: MADT of %u bytes is too short", length);
        return -1;
    }
    out->lapic_phys = le32(madt + 36);
    for (uint32_t off = MADT_ENTRIES_AT; off + 2 <= length;) {
        uint8_t len = madt[off + 1];
        if (len < 2 || off + len > length) {
            format_snprintf(why, why_size, "ACPI: MADT entry at offset %u has a bad length %u", off,
                            len);
            return -1;
        }
        read_entry(madt + off, len, out);
        off += len;
    }
    if (out->cpu_count == 0) {
        format_snprintf(why, why_size, "ACPI: the MADT lists no usable processor");
        return -1;
    }
    return 0;
}
