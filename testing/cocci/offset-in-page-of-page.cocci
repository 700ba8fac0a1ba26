// SPDX-License-Identifier: GPL-2.0-only
/// offset_in_page() takes an address.  Given a struct page pointer it
/// returns the low bits of the pointer itself, not the sub-page offset of
/// the buffer, so a mapping at page offset 0x200 silently loses it.
//
// Confidence: High
// Options: --no-includes --include-headers

virtual report

@r depends on report@
struct page *pg;
expression x;
position p;
@@
(
 offset_in_page@p(pg)
|
 offset_in_page@p(phys_to_page(x))
|
 offset_in_page@p(pfn_to_page(x))
|
 offset_in_page@p(virt_to_page(x))
|
 offset_in_page@p(sg_page(x))
)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "offset_in_page() of a struct page pointer: the sub-page offset is lost")
