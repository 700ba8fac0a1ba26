#!/usr/bin/perl
# Stand-in for the kernel's checkpatch.pl, same output format: an added
# line with trailing white space is an error, nothing else is checked.
# Reads the patch from the file named last, or from standard input ("-").
use strict;
use warnings;

my $file = $ARGV[-1];
my ($n, $errors) = (0, 0);
my $fh;
if ($file eq '-') {
	$fh = \*STDIN;
} else {
	open($fh, '<', $file) or die "$file: $!";
}
while (my $line = <$fh>) {
	$n++;
	chomp $line;
	next unless $line =~ /^\+(?!\+\+)/;
	if ($line =~ /\s$/) {
		print "ERROR:TRAILING_WHITESPACE: trailing whitespace\n";
		print "#$n: FILE: $file:$n:\n$line\$\n\n";
		$errors++;
	}
}
print "total: $errors errors, 0 warnings, 0 checks, $n lines checked\n";
exit($errors ? 1 : 0);
