// SPDX-License-Identifier: GPL-2.0-only
/// A physical address turned into a struct page only to be turned back
/// (or the reverse) costs a pfn_valid()-less lookup on every call and,
/// through phys_to_page(), drops the sub-page offset.  Use the value
/// that is already at hand.
//
// Confidence: High
// Options: --no-includes --include-headers

virtual report

@r depends on report@
expression x;
position p;
@@
(
 page_to_phys@p(phys_to_page(x))
|
 phys_to_page@p(page_to_phys(x))
|
 page_to_virt@p(phys_to_page(x))
|
 page_address@p(phys_to_page(x))
|
 page_to_pfn@p(pfn_to_page(x))
|
 pfn_to_page@p(page_to_pfn(x))
)

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "page/phys round trip: use the physical address (or phys_to_virt()) directly")
