set termoption noenhanced
set multiplot layout 1,3 title 'map+unmap, 4096 bytes, offset 0: instructions per call under QEMU -icount, patched against v6.17.8'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel 'patched / base (instructions)'
set xtics rotate by -30
set key top right
set grid ytics
set title 'page and phys (goals: 1.00; phys 0.98 on direct)'
set yrange [0.95:1.12]
plot 'chart.dat' using 2:xtic(1) title 'dma_map_page()', '' using 3 title 'dma_map_phys()', 1 with lines lc 'black' notitle
set title 'resource (goal: 1.00; no bar: every mapping fails)'
set yrange [0.91:2.19]
plot 'chart.dat' using 4:xtic(1) lc 3 title 'dma_map_resource()', 1 with lines lc 'black' notitle
set style data steps
set xtics norotate
set xlabel 'kernel: 0 = base, N = after patch N'
set ylabel 'against the base kernel dma_map_page()'
set yrange [*:*]
set offsets 0, 1, 0.01, 0.01
set key top left
set title 'dma-direct, after every patch'
plot for [i=1:words("arm64 x86_64")] 'chart-patches.dat' using 2:(stringcolumn(1) eq word("arm64 x86_64", i) ? $3 : 1/0) lc i lw 2 title word("arm64 x86_64", i).' page', \
     for [i=1:words("arm64 x86_64")] 'chart-patches.dat' using 2:(stringcolumn(1) eq word("arm64 x86_64", i) ? $4 : 1/0) lc i lw 2 dashtype (6, 4) title word("arm64 x86_64", i).' phys', \
     1 with lines lc 'black' notitle
unset multiplot
