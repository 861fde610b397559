extension DiagnosticCode {
    /// The table: one entry per code, in number order. `example` is a spec that gets the
    /// diagnostic (nil for the codes about files, which no spec text can show); tests check each.
    var entry: DiagnosticCodeEntry {
        switch self {
        case .specFileUnreadable:
            DiagnosticCodeEntry(number: 1, summary: "the spec file cannot be read",
                explanation: "modelc could not open the path given: there is no file there, it is a directory, a FIFO or a device, or reading it failed. Give the path of a regular spec file (a directory is searched for *.yaml and *.yml).",
                example: nil)
        case .specFileTooLarge:
            DiagnosticCodeEntry(number: 2, summary: "the spec file is larger than modelc reads",
                explanation: "A spec is a few kilobytes; modelc refuses files over \(YAMLReader.maximumBytes >> 20) MiB before parsing, so that a wrong path (a data file, a log) cannot make it read gigabytes. Check the path, or split the spec.",
                example: nil)
        case .tooManyDiagnostics:
            DiagnosticCodeEntry(number: 3, summary: "more diagnostics than are shown",
                explanation: "modelc prints the first 100 diagnostics of a file and counts the rest in this note, so that a file with thousands of mistakes prints a screenful. Fix the ones shown and check again.",
                example: nil)
        case .yamlSyntax:
            DiagnosticCodeEntry(number: 101, summary: "the file is not valid YAML",
                explanation: "libyaml could not parse the file: a bracket or quote is not closed, a value is missing, or the structure is broken. The location is where libyaml noticed the problem, which can be after the mistake itself; look at the line and the one before.",
                example: "input: [4\nlayers:\n  - Dense 1\n")
        case .yamlIndentation:
            DiagnosticCodeEntry(number: 102, summary: "an item is indented differently from its siblings",
                explanation: "Entries of one YAML list or mapping start in the same column. An entry indented one column too far (or too little) is read by YAML as a continuation of the entry before it, or breaks the file; align it with the others.",
                example: "input: [4]\nlayers:\n  - Dense 8 relu\n   - Dense 1 sigmoid\n")
        case .notUTF8:
            DiagnosticCodeEntry(number: 103, summary: "the file is not UTF-8",
                explanation: "Specs are UTF-8 text. A byte that cannot appear in UTF-8 (often a file saved as Latin-1 or UTF-16) stops the parse at that byte; save the file as UTF-8.",
                example: nil)
        case .multipleDocuments:
            DiagnosticCodeEntry(number: 104, summary: "the file holds more than one YAML document",
                explanation: "A spec file holds one YAML document. A second `---` starts another document, which modelc would otherwise silently ignore; remove it or put the second spec in its own file.",
                example: "input: [4]\nlayers: [Dense 1]\n---\ninput: [8]\nlayers: [Dense 2]\n")
        case .undefinedAlias:
            DiagnosticCodeEntry(number: 105, summary: "an alias names no anchor",
                explanation: "A YAML alias `*name` repeats the node marked with the anchor `&name`, which must be defined earlier in the file. Define the anchor first or write the value out.",
                example: "input: [4]\nlayers:\n  - *dense\n")
        case .yamlLimits:
            DiagnosticCodeEntry(number: 106, summary: "the YAML is nested too deep or expands too far",
                explanation: "modelc reads at most \(YAMLReader.maximumDepth) levels of nesting and \(YAMLReader.maximumNodes) nodes after aliases are expanded, so that a small file cannot expand into gigabytes (the 'billion laughs' attack). A spec never comes near either; remove the aliases or the nesting.",
                example: "input: [4]\nlayers: [Dense 1]\nname: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n")
        case .duplicateKey:
            DiagnosticCodeEntry(number: 107, summary: "a mapping has the same key twice",
                explanation: "YAML keeps only one value of a key that appears twice in one mapping, so one of the two is silently lost. Remove or rename one of them; the note shows where the key was first written.",
                example: "input: [4]\ninput: [8]\nlayers: [Dense 1]\n")
        case .complexKey:
            DiagnosticCodeEntry(number: 108, summary: "a mapping key is not a plain name",
                explanation: "Keys of a spec are names (`input`, `units`, a layer class). A list or mapping used as a key is legal YAML but means nothing to modelc; write a name.",
                example: "input: [4]\nlayers: [Dense 1]\n[a, b]: 1\n")
        case .unsupportedTag:
            DiagnosticCodeEntry(number: 109, summary: "a YAML tag modelc does not accept",
                explanation: "Specs hold plain values. YAML tags other than the standard !!str, !!int, !!float, !!bool and !!null are refused, as are values a standard tag cannot hold (`!!int abc`), because a tag could otherwise ask a YAML loader to build objects.",
                example: "input: [4]\nlayers:\n  - Dense: {units: !!python/object 1}\n")
        case .specStructure:
            DiagnosticCodeEntry(number: 201, summary: "the spec is not a mapping of sections",
                explanation: "A spec is a YAML mapping with sections such as `input:`, `layers:`, `compile:`, `fit:` and `data:`. An empty file, a list or a single value at the top is not a spec.",
                example: "- Dense 1\n")
        case .unknownSection:
            DiagnosticCodeEntry(number: 202, summary: "a top-level key that is not a section",
                explanation: "The top level of a spec takes only the sections Grammar.md lists (name, input, inputs, outputs, layers, compile, fit, data). A misspelled section would otherwise be ignored; the message suggests the closest section name and the fix replaces it.",
                example: "input: [4]\nlayer: [Dense 1]\n")
        case .missingLayers:
            DiagnosticCodeEntry(number: 203, summary: "the spec has no layers",
                explanation: "A model needs `layers:`, a list with at least one layer, e.g. `layers: [Dense 1 sigmoid]`.",
                example: "input: [4]\n")
        case .malformedLayerEntry:
            DiagnosticCodeEntry(number: 204, summary: "a layer entry is neither a layer string nor a one-key mapping",
                explanation: "Each entry of `layers` is either the short form, one string such as `- LSTM 8 return_sequences`, or the keyword form, a mapping with one key, the class, such as `- LSTM: {units: 8}`. Empty entries, lists, mappings with several keys and arguments that are not a mapping are refused.",
                example: "input: [4]\nlayers:\n  -\n  - Dense 1\n")
        case .shorthandSyntax:
            DiagnosticCodeEntry(number: 205, summary: "a layer string cannot be read",
                explanation: "The short form is the class name followed by values and `name=value` pairs, e.g. `Dense 8 relu` or `Conv1D 32 5 padding=same`. A stray '=', an unbalanced bracket, a missing value after '=' or an entry that does not start with a class name is refused at the character where it goes wrong.",
                example: "input: [4]\nlayers:\n  - Dense units=\n")
        case .missingInput:
            DiagnosticCodeEntry(number: 206, summary: "the model has no input shape",
                explanation: "Keras builds a model once it knows the input shape. Give it as the top-level `input: [sizes]` (one sample, no batch axis), as `input_shape` on the first layer, or as `inputs:` for a functional model. The fix inserts an `input:` line to fill in.",
                example: "layers:\n  - Dense 8 relu\n  - Dense 1 sigmoid\n")
        case .inputGivenTwice:
            DiagnosticCodeEntry(number: 207, summary: "the input shape is given twice",
                explanation: "The input shape is either the top-level `input` or the first layer's `input_shape`, not both; keep one.",
                example: "input: [4]\nlayers:\n  - Dense: {units: 1, input_shape: [4]}\n")
        case .sequentialFunctionalMix:
            DiagnosticCodeEntry(number: 208, summary: "Sequential and functional keys mixed",
                explanation: "A Sequential spec has `input:` and a chain of layers; a functional spec has named `inputs:`, layers that name what they read with `inputs:`, and `outputs:`. Keys of one form in a spec of the other are refused, since their meaning would be ambiguous.",
                example: "input: [4]\nlayers:\n  - Dense 1\noutputs: [dense]\n")
        case .unknownLayer:
            DiagnosticCodeEntry(number: 301, summary: "an unknown layer class",
                explanation: "The class name is not one of the layers modelc knows (Grammar.md lists them, with Keras's aliases such as MaxPool1D). Class names are case-sensitive, as in Keras; the message suggests the closest class and the fix replaces it.",
                example: "input: [4]\nlayers:\n  - Dens 1\n")
        case .unknownArgument:
            DiagnosticCodeEntry(number: 302, summary: "an argument the layer or section does not take",
                explanation: "Every argument is checked against the class's declaration in the catalogue, which follows Keras's constructor. A misspelled argument (or a bare word in the short form that is no flag or choice of the layer) would silently be the default in Keras 2; modelc refuses it and suggests the closest name.",
                example: "input: [4]\nlayers:\n  - Dense: {units: 1, activaton: sigmoid}\n")
        case .invalidArgumentValue:
            DiagnosticCodeEntry(number: 303, summary: "a value of the wrong type or outside its range",
                explanation: "The value does not fit the argument: a string where a number is needed, a fraction where an integer is, a number outside the allowed range (units ≥ 1, rates in [0, 1)), or a name that is not one of the allowed choices. The message says what the argument takes.",
                example: "input: [4]\nlayers:\n  - Dense 0\n")
        case .duplicateArgument:
            DiagnosticCodeEntry(number: 304, summary: "an argument is given twice",
                explanation: "The same argument appears twice for one layer (for example once as a bare value and once as name=value); keep one. The note shows the first.",
                example: "input: [4]\nlayers:\n  - Dense 1 units=2\n")
        case .tooManyValues:
            DiagnosticCodeEntry(number: 305, summary: "more bare values than the short form binds",
                explanation: "The short form binds bare values to the class's positional arguments in order (Dense: units; Conv1D: filters, kernel_size). Values beyond those have no place; write them as name=value.",
                example: "input: [4]\nlayers:\n  - Dense 1 2\n")
        case .missingArgument:
            DiagnosticCodeEntry(number: 306, summary: "a required argument is missing",
                explanation: "Some arguments have no default in Keras (Dense units, Embedding input_dim and output_dim, Conv1D filters and kernel_size); give them.",
                example: "input: [4]\nlayers:\n  - Dense: {activation: relu}\n")
        case .wrapperMisuse:
            DiagnosticCodeEntry(number: 307, summary: "a wrapper without a layer, or a layer with a wrapper's keys",
                explanation: "Bidirectional and TimeDistributed wrap one layer, given as `layer:` (or nested in the short form); other layers take no `layer:`. `input_shape` and `inputs` belong on the wrapper, not on the wrapped layer, and Bidirectional wraps only recurrent layers.",
                example: "input: [10, 4]\nlayers:\n  - Bidirectional: {}\n")
        case .inputShapeIgnored:
            DiagnosticCodeEntry(number: 308, summary: "input_shape on a layer other than the first",
                explanation: "Keras reads input_shape only on a model's first layer and ignores it elsewhere, so it is most likely a leftover; remove it.",
                example: "input: [4]\nlayers:\n  - Dense 8\n  - Dense: {units: 1, input_shape: [8]}\n")
        case .initializerShape:
            DiagnosticCodeEntry(number: 309, summary: "an initializer that cannot fill the weight's shape",
                explanation: "identity fills only 2-D weights and orthogonal only weights of two or more dimensions; Keras refuses others when it builds the layer.",
                example: "input: [4, 3]\nlayers:\n  - Conv1D: {filters: 2, kernel_size: 2, kernel_initializer: identity}\n")
        case .suspiciousArgument:
            DiagnosticCodeEntry(number: 310, summary: "an argument that makes the layer useless",
                explanation: "Legal but almost certainly a mistake: a softmax over one unit always outputs 1.0, and a dropout rate of 1 drops everything. Warnings do not fail `check` unless --warnings-as-errors is given.",
                example: "input: [4]\nlayers:\n  - Dense 1 softmax\n")
        case .inputRank:
            DiagnosticCodeEntry(number: 401, summary: "a layer gets an input with the wrong number of axes",
                explanation: "Each layer needs inputs of a given rank (batch axis counted, as Keras's 'expected ndim=3'): recurrent layers and Conv1D take (batch, timesteps, features), Dense after a recurrent layer gets (batch, units). The usual fix is `return_sequences: true` on the recurrent layer before, which the fix inserts, or a Flatten before a layer that needs 2-D input.",
                example: "input: [10]\nlayers:\n  - Embedding 100x8\n  - LSTM 8\n  - LSTM 4\n")
        case .needsTokenIDs:
            DiagnosticCodeEntry(number: 402, summary: "an Embedding reads float features",
                explanation: "An Embedding looks up integer token ids, so it must read the model's input (or an int32 input of a functional model), not the float output of another layer.",
                example: "input: [4]\nlayers:\n  - Dense 8\n  - Embedding 100x8\n")
        case .shapeMismatch:
            DiagnosticCodeEntry(number: 403, summary: "a layer cannot take its input's sizes",
                explanation: "The layer's shape rule refuses its input: a kernel or pool longer than the sequence, a Reshape whose sizes do not multiply to the input's, merge inputs whose sizes differ, and the like. The message says which sizes and how to make them fit.",
                example: "input: [3, 2]\nlayers:\n  - Conv1D 4 5\n")
        case .sizeOverflow:
            DiagnosticCodeEntry(number: 404, summary: "sizes too large to count",
                explanation: "A layer's weights or multiply-adds exceed what modelc counts (2^56); no real model comes near that, so a size is almost certainly mistyped.",
                example: "input: [4]\nlayers:\n  - Dense 2000000000\n  - Dense 2000000000\n")
        case .duplicateLayerName:
            DiagnosticCodeEntry(number: 405, summary: "two layers with the same name",
                explanation: "Keras needs unique layer names in a model (and an input's name counts too). Rename one; the note shows the other.",
                example: "input: [4]\nlayers:\n  - Dense: {units: 8, name: hidden}\n  - Dense: {units: 1, name: hidden}\n")
        case .unknownTensorName:
            DiagnosticCodeEntry(number: 406, summary: "inputs names no input or layer",
                explanation: "In a functional spec a layer's `inputs:` names model inputs or earlier layers by name (explicit or automatic, such as `lstm`, `dense_1`). The name is not one of them; the fix replaces it with the closest.",
                example: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 1, inputs: y}\noutputs: [dense]\n")
        case .definedLater:
            DiagnosticCodeEntry(number: 407, summary: "a layer reads a layer defined after it",
                explanation: "Layers are listed in an order where each comes after what it reads, so a model is a graph without cycles. Move the layer read above the one that reads it.",
                example: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 1, name: out, inputs: hidden}\n  - Dense: {units: 4, name: hidden, inputs: x}\noutputs: [out]\n")
        case .ambiguousInput:
            DiagnosticCodeEntry(number: 408, summary: "the first layer of a multi-input model names no input",
                explanation: "With several model inputs, the first layer cannot default to 'the input'; say which it reads with `inputs:`.",
                example: "inputs: {a: [4], b: [4]}\nlayers:\n  - Dense 1\noutputs: [dense]\n")
        case .mergeArity:
            DiagnosticCodeEntry(number: 409, summary: "a layer reads the wrong number of tensors",
                explanation: "Merge layers (Concatenate, Add, Dot, ...) read a list of tensors (Subtract and Dot exactly two); other layers read one. Name the tensors with `inputs: [a, b]`, or merge several before a one-input layer.",
                example: "inputs: {a: [4], b: [4]}\nlayers:\n  - Dense: {units: 1, inputs: [a, b]}\noutputs: [dense]\n")
        case .invalidTensorList:
            DiagnosticCodeEntry(number: 410, summary: "inputs or outputs are not names",
                explanation: "`inputs:` of a layer and `outputs:` of the model are a name or a list of names.",
                example: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 1, inputs: [1]}\noutputs: [dense]\n")
        case .invalidInputsDeclaration:
            DiagnosticCodeEntry(number: 411, summary: "the model's inputs are not declared as a name-to-shape mapping",
                explanation: "A functional model declares `inputs:` as a mapping from each input's name to its shape (`x: [20]`) or to `{shape: [20], dtype: int32}`; dtype is int32 (token ids) or float32.",
                example: "inputs: [4]\nlayers:\n  - Dense 1\noutputs: [dense]\n")
        case .invalidOutputs:
            DiagnosticCodeEntry(number: 412, summary: "outputs names something that is not a layer",
                explanation: "`outputs:` lists layers of the model, each once; an input or an unknown name cannot be an output.",
                example: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 1, inputs: x}\noutputs: [dens]\n")
        case .unusedLayer:
            DiagnosticCodeEntry(number: 413, summary: "a layer or input no output depends on",
                explanation: "Keras's functional Model keeps only the layers between its inputs and outputs; a layer no output depends on is left out (not counted, not trained), and an unused input still needs data. List it in `outputs` or remove it.",
                example: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 2, name: side, inputs: x}\n  - Dense: {units: 1, name: out, inputs: x}\noutputs: [out]\n")
        case .memoryEstimate:
            DiagnosticCodeEntry(number: 414, summary: "the model needs more memory to train than this machine has",
                explanation: "The estimate counts weights, gradients, optimizer slots and activations at the fit batch_size (data not counted). `modelc train` refuses a run larger than the memory available; use a smaller batch_size or smaller layers.",
                example: "input: [100000]\nlayers:\n  - Dense 100000\ncompile: {optimizer: adam, loss: mse}\nfit: {epochs: 1, batch_size: 100000}\n")
        case .compileStructure:
            DiagnosticCodeEntry(number: 501, summary: "compile is not written as Keras's compile arguments",
                explanation: "`compile:` is a mapping with optimizer, loss, metrics and loss_weights; the optimizer, each loss and metric is a name or a one-key mapping `{ClassName: {arguments}}`, metrics a list (or a mapping per output). A compile without a loss cannot train.",
                example: "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adam}\n")
        case .unknownComponent:
            DiagnosticCodeEntry(number: 502, summary: "an unknown optimizer, loss, metric or callback",
                explanation: "The name is not in modelc's training catalogue (Grammar.md lists optimizers, losses, metrics and callbacks with Keras's names and aliases). The fix replaces it with the closest name.",
                example: "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adamm, loss: mse}\n")
        case .unknownOutput:
            DiagnosticCodeEntry(number: 503, summary: "a per-output setting names no output",
                explanation: "With several outputs, loss, metrics and loss_weights map output names to their settings; each name must be an output of the model, and a list of loss_weights needs one weight per output.",
                example: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 1, name: out, inputs: x}\noutputs: [out]\ncompile: {optimizer: adam, loss: {ot: mse}}\n")
        case .duplicateMetric:
            DiagnosticCodeEntry(number: 504, summary: "a metric is listed twice",
                explanation: "Keras would log the same metric twice under one name; keep one.",
                example: "input: [4]\nlayers: [Dense 1 sigmoid]\ncompile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy, accuracy]}\n")
        case .lossOutputMismatch:
            DiagnosticCodeEntry(number: 505, summary: "the loss cannot apply to the output layer",
                explanation: "Some losses and metrics need a particular output: categorical losses one unit per class, binary_crossentropy independent probabilities (not a softmax), AUC one unit. The message names the output layer and the loss to use.",
                example: "input: [4]\nlayers: [Dense 1 sigmoid]\ncompile: {optimizer: adam, loss: categorical_crossentropy}\n")
        case .activationLossMismatch:
            DiagnosticCodeEntry(number: 506, summary: "the output activation does not match what the loss expects",
                explanation: "Probabilistic losses expect probabilities (sigmoid, softmax) unless from_logits is true, and from_logits expects raw scores. Training runs, but not as intended.",
                example: "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adam, loss: binary_crossentropy}\n")
        case .outputWithoutLoss:
            DiagnosticCodeEntry(number: 507, summary: "an output has no loss",
                explanation: "An output without a loss is not trained, as in Keras; give it a loss if it should learn.",
                example: "inputs: {x: [4]}\nlayers:\n  - Dense: {units: 1, name: a, inputs: x}\n  - Dense: {units: 1, name: b, inputs: x}\noutputs: [a, b]\ncompile: {optimizer: adam, loss: {a: mse}}\n")
        case .fitStructure:
            DiagnosticCodeEntry(number: 508, summary: "fit is not written as Keras's fit arguments",
                explanation: "`fit:` is a mapping (epochs, batch_size, validation, callbacks, seed, ...) and needs a `compile:` with a loss; validation is a mapping such as `{split: 0.2}` and callbacks a list of `Name: {arguments}`.",
                example: "input: [4]\nlayers: [Dense 1]\nfit: {epochs: 2}\n")
        case .conflictingOptions:
            DiagnosticCodeEntry(number: 509, summary: "options that cannot be used together",
                explanation: "Some settings exclude each other: clipnorm, clipvalue and global_clipnorm on one optimizer, validation given both as a split and as data, a stratified split without a seed, more than one BackupAndRestore.",
                example: "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: {Adam: {clipnorm: 1.0, clipvalue: 0.5}}, loss: mse}\n")
        case .monitorUnavailable:
            DiagnosticCodeEntry(number: 510, summary: "a callback monitors a quantity that is not logged",
                explanation: "EarlyStopping, ModelCheckpoint and ReduceLROnPlateau monitor one of the logged names (loss, the metrics, and their val_ forms when there is validation data). The name is not logged; the fix replaces it with the closest.",
                example: "input: [4]\nlayers: [Dense 1 sigmoid]\ncompile: {optimizer: adam, loss: binary_crossentropy, metrics: [accuracy]}\nfit:\n  epochs: 2\n  validation: {split: 0.2}\n  callbacks: [EarlyStopping: {monitor: val_acuracy}]\n")
        case .checkpointPath:
            DiagnosticCodeEntry(number: 511, summary: "a checkpoint, backup or log path that would write outside the run",
                explanation: "Files a run writes stay inside its run directory: a ModelCheckpoint filepath, BackupAndRestore backup_dir or TensorBoard log_dir may not be absolute, contain '..', be one of the run's own files, or format to such a name.",
                example: "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adam, loss: mse}\nfit:\n  epochs: 2\n  callbacks: [ModelCheckpoint: {filepath: ../best.safetensors}]\n")
        case .checkpointFormat:
            DiagnosticCodeEntry(number: 512, summary: "a checkpoint name whose format is not obvious",
                explanation: "ModelCheckpoint writes a Keras file for a name ending in .keras or .h5 and safetensors weights for any other; end the name in one of them so that what is written is clear.",
                example: "input: [4]\nlayers: [Dense 1]\ncompile: {optimizer: adam, loss: mse}\nfit:\n  epochs: 2\n  callbacks: [ModelCheckpoint: {filepath: best.bin}]\n")
        case .dataStructure:
            DiagnosticCodeEntry(number: 601, summary: "the data section is not written as modelc reads it",
                explanation: "`data:` maps splits (train, validation, test) to their sources: arrays (`x:`, `y:` as .npy, .npz with a key, or inline lists), a CSV file (`csv:` with `features:`/`labels:` or `text:`), or a directory of class folders; and `text:` holds the text settings. The message says which form was expected.",
                example: "input: [4]\nlayers: [Dense 1]\ndata: {train: {y: y.npy}}\n")
        case .dataTextSettings:
            DiagnosticCodeEntry(number: 602, summary: "text settings that do not fit the model",
                explanation: "Text becomes sequences of token ids: the model needs an Embedding first on a 1-D input, maxlen equal to the input length, and num_words no larger than the Embedding's input_dim (ids past the table would stop training).",
                example: "input: [100]\nlayers:\n  - Embedding 500x16\n  - LSTM 8\n  - Dense 1 sigmoid\ndata:\n  train: {csv: train.csv, text: text, labels: label}\n  text: {num_words: 1000, maxlen: 50}\n")
        case .inlineData:
            DiagnosticCodeEntry(number: 603, summary: "inline data that is not a rectangular array of numbers",
                explanation: "Data written in the spec is a nested list of finite numbers with the same length at every depth (or `{values: [...], shape: [...]}` whose sizes multiply to the count of values).",
                example: "input: [2]\nlayers: [Dense 1]\ndata: {train: {x: [[1, 2], [3]], y: [1, 0]}}\n")
        case .dataModelMismatch:
            DiagnosticCodeEntry(number: 604, summary: "data that does not fit the model",
                explanation: "The data's sample shape must be the model's input shape, x and y need the same number of samples, an Embedding needs integer ids, and a source shape (text, class folders) must fit the model's inputs and outputs.",
                example: "input: [3]\nlayers: [Dense 1]\ndata: {train: {x: [[1, 2], [3, 4]], y: [1, 0]}}\n")
        case .dataUnknownName:
            DiagnosticCodeEntry(number: 605, summary: "data names an input or output the model does not have",
                explanation: "For a model with several inputs or outputs, x and y map each name to its source; the name is not one of the model's.",
                example: "inputs: {a: [1], b: [1]}\nlayers:\n  - Concatenate: {inputs: [a, b]}\n  - Dense: {units: 1, name: out}\noutputs: [out]\ndata: {train: {x: {a: [[1]], c: [[2]]}, y: [1]}}\n")
        case .missingDataSource:
            DiagnosticCodeEntry(number: 606, summary: "an input or output has no data",
                explanation: "Every model input needs a source in each split (and every output with a loss its labels).",
                example: "inputs: {a: [1], b: [1]}\nlayers:\n  - Concatenate: {inputs: [a, b]}\n  - Dense: {units: 1, name: out}\noutputs: [out]\ndata: {train: {x: {a: [[1]]}, y: [1]}}\n")
        case .dataFileMissing:
            DiagnosticCodeEntry(number: 607, summary: "a data file the spec names does not exist",
                explanation: "`modelc check` looks for every file of the data section, relative to the data root (--data DIR, else MODELC_DATA, else the spec's folder), and suggests the closest name in its folder. --no-data skips the data files (CI without the data).",
                example: nil)
        case .dataContents:
            DiagnosticCodeEntry(number: 608, summary: "a data file that does not fit the model or its loss",
                explanation: "`modelc check` reads each split as `train` will: .npy and .npz headers (dtype, shape against the input), CSV headers and column names, and every value: labels in the range the loss needs (0 or 1 for binary_crossentropy, below the unit count for sparse categorical), no NaN or infinity, integer token ids within the Embedding, one row per sample in x and y. The message names the file and the row or sample.",
                example: nil)
        case .dataNotScanned:
            DiagnosticCodeEntry(number: 609, summary: "a data file too large for `check` to read in full",
                explanation: "Files larger than 256 MiB are not read by `check`: their header (the .npy shape) is checked, their values are not, and this note says so. `train` still checks every value before the first step.",
                example: nil)
        }
    }
}
