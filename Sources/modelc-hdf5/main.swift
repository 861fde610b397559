import Foundation
import ModelRun

// modelc's HDF5 reader, a process of its own so that a crash or a hang of libhdf5 on a crafted file
// ends only this process (HDF5Isolation): the file on standard input, its tree on standard output.
// The one argument names the file in messages.
exit(HDF5Isolation.serve(file: CommandLine.arguments.dropFirst().first ?? "the HDF5 file"))
