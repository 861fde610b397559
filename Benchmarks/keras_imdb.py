"""Keras (tf_keras, TensorFlow CPU) side of Benchmarks/train-speed.sh: trains one variant on the
prepared IMDB arrays and prints one line per epoch: `epoch <n> <seconds> <val_accuracy>`.
Usage: python keras_imdb.py VARIANT ARRAYS_DIR EPOCHS"""
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np
import tensorflow as tf
import tf_keras as keras

variant, arrays, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3])
tf.config.threading.set_intra_op_parallelism_threads(2)
tf.config.threading.set_inter_op_parallelism_threads(2)
load = lambda name: np.load(os.path.join(arrays, name))
x_train, y_train = load("x_train.npy"), load("y_train.npy")
x_val, y_val = load("x_validation.npy"), load("y_validation.npy")

L = keras.layers
recurrent = {
    "lstm": [L.LSTM(8)],
    "gru": [L.GRU(8)],
    "stacked": [L.LSTM(8, return_sequences=True), L.LSTM(8)],
    "bilstm": [L.Bidirectional(L.LSTM(16))],
}[variant]
model = keras.Sequential([keras.Input(shape=(100,)), L.Embedding(500, 16)] + recurrent + [L.Dense(1, activation="sigmoid")])
model.compile(optimizer=keras.optimizers.RMSprop(learning_rate=1e-4), loss="binary_crossentropy", metrics=["accuracy"])


class EpochTimer(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        print(f"epoch {epoch + 1} {time.perf_counter() - self.start:.4f} {logs['val_accuracy']:.4f}", flush=True)


model.fit(x_train, y_train, epochs=epochs, batch_size=64, validation_data=(x_val, y_val), verbose=0, callbacks=[EpochTimer()])
