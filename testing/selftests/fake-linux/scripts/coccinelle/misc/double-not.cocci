// SPDX-License-Identifier: GPL-2.0-only
/// Stand-in for the kernel's rules: !!x in a return of a bool-ish value.
//
// Options: --no-includes --include-headers

virtual report

@r depends on report@
expression x;
position p;
@@
 return !!@p x;

@script:python depends on report@
p << r.p;
@@
coccilib.report.print_report(p[0], "double negation")
