// SPDX-License-Identifier: MIT
/*
 * The interrupt controller of -M virt: a GICv2 (QEMU's default) or a
 * GICv3 (gic-version=3 or max), told apart by the distributor's
 * identification register.  One interrupt matters: a PPI, the timer's,
 * routed to this one CPU as an IRQ.  QEMU without EL3 gives the GIC a
 * single security state, so every group reaches the non-secure kernel.
 */
#include "kernel.h"

#define GICD_CTLR	0x0000
#define GICD_ISENABLER	0x0100
#define GICD_IPRIORITYR	0x0400
#define GICD_PIDR2_V2	0x0fe8
#define GICD_PIDR2_V3	0xffe8
#define GICC_CTLR	0x0000	/* GICv2's memory-mapped CPU interface */
#define GICC_PMR	0x0004
#define GICC_BPR	0x0008
#define GICC_IAR	0x000c
#define GICC_EOIR	0x0010
#define GICR_BASE	0x080a0000UL	/* GICv3: CPU 0's redistributor */
#define GICR_WAKER	0x0014
#define GICR_SGI	0x10000	/* its SGI/PPI frame */
#define GICR_IGROUPR0	0x0080

#define GICD_CTLR_ENABLE_G0	(1u << 0)
#define GICD_CTLR_ENABLE_G1	(1u << 1)
#define GICD_CTLR_ARE		(1u << 4)	/* GICv3: affinity routing, the CPU interface in system registers */
#define WAKER_PROCESSOR_SLEEP	(1u << 1)
#define WAKER_CHILDREN_ASLEEP	(1u << 2)

static int gic_v3;

static void set_priority(u64 base, unsigned irq)
{
	/* Byte-accessible registers, one byte per interrupt; 0xa0 is below PMR's 0xff, so it is taken. */
	*(volatile u8 *)(base + GICD_IPRIORITYR + irq) = 0xa0;
}

static void gicv2_init(unsigned ppi)
{
	mmio_write32(GICD_BASE + GICD_CTLR, 0);
	set_priority(GICD_BASE, ppi);
	mmio_write32(GICD_BASE + GICD_ISENABLER, 1u << ppi);	/* SGIs and PPIs are the first word */
	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1);
	mmio_write32(GICC_BASE + GICC_PMR, 0xff);
	mmio_write32(GICC_BASE + GICC_BPR, 0);
	mmio_write32(GICC_BASE + GICC_CTLR, 1);
}

static void gicv3_init(unsigned ppi)
{
	u64 sgi = GICR_BASE + GICR_SGI;

	mmio_write32(GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1);
	/* Wake the redistributor: until ChildrenAsleep clears, its interrupts go nowhere. */
	mmio_write32(GICR_BASE + GICR_WAKER, mmio_read32(GICR_BASE + GICR_WAKER) & ~WAKER_PROCESSOR_SLEEP);
	while (mmio_read32(GICR_BASE + GICR_WAKER) & WAKER_CHILDREN_ASLEEP)
		;
	/* PPIs live in the redistributor under GICv3: group 1 (IRQ), a priority, enabled. */
	mmio_write32(sgi + GICR_IGROUPR0, mmio_read32(sgi + GICR_IGROUPR0) | 1u << ppi);
	set_priority(sgi, ppi);
	mmio_write32(sgi + GICD_ISENABLER, 1u << ppi);
	/* The CPU interface is system registers: enable them (SRE), then the mask and group 1. */
	write_sysreg(s3_0_c12_c12_5, read_sysreg(s3_0_c12_c12_5) | 1);	/* ICC_SRE_EL1.SRE */
	isb();	/* the ICC_* registers below are only accessible once SRE is seen */
	write_sysreg(s3_0_c4_c6_0, 0xff);	/* ICC_PMR_EL1 */
	write_sysreg(s3_0_c12_c12_3, 0);	/* ICC_BPR1_EL1 */
	write_sysreg(s3_0_c12_c12_7, 1);	/* ICC_IGRPEN1_EL1 */
	isb();
}

void gic_init(unsigned ppi)
{
	/* ArchRev, PIDR2[7:4]: at 0xfe8 in a GICv2 distributor, at 0xffe8 in a GICv3 one. */
	if (((mmio_read32(GICD_BASE + GICD_PIDR2_V2) >> 4) & 0xf) == 2) {
		gicv2_init(ppi);
	} else if (((mmio_read32(GICD_BASE + GICD_PIDR2_V3) >> 4) & 0xf) >= 3) {
		gic_v3 = 1;
		gicv3_init(ppi);
	} else {
		panic("no GICv2 or GICv3 distributor at 0x08000000 (run on -M virt)");
	}
	kprintf("kernel: GICv%u, timer on PPI %u\n", gic_v3 ? 3 : 2, ppi);
}

/* Acknowledge the highest-priority pending interrupt: its id, 1020-1023 for none. */
u32 gic_ack(void)
{
	if (gic_v3)
		return (u32)read_sysreg(s3_0_c12_c12_0) & 0xffffff;	/* ICC_IAR1_EL1 */
	return mmio_read32(GICC_BASE + GICC_IAR) & 0x3ff;
}

void gic_eoi(u32 id)
{
	if (gic_v3) {
		write_sysreg(s3_0_c12_c12_1, id);	/* ICC_EOIR1_EL1 */
		isb();
	} else {
		mmio_write32(GICC_BASE + GICC_EOIR, id);
	}
}
