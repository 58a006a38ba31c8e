namespace Pipelines.Torch.Data;

/// <summary>
/// The rows of an image folder held as bytes, turned into [0, 1] floats only as a cursor reads them: 4x less memory than
/// materialized float vectors. Knows its row count and can shuffle (random access), which ML.NET's shuffling and
/// cross-validation use.
/// </summary>
internal sealed class ImageFolderDataView : IDataView
{
    readonly IReadOnlyList<DecodedImage> _images;
    readonly int _channels;
    readonly int _size;

    public ImageFolderDataView(IReadOnlyList<DecodedImage> images, int channels, int height, int width,
        string labelColumn, string pathColumn, string featureColumn)
    {
        _images = images;
        _channels = channels;
        _size = channels * height * width;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(labelColumn, TextDataViewType.Instance);
        builder.AddColumn(pathColumn, TextDataViewType.Instance);
        builder.AddColumn(featureColumn, new VectorDataViewType(NumberDataViewType.Single, channels, height, width));
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => true;

    public long? GetRowCount() => _images.Count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var active = new bool[Schema.Count];
        foreach (var column in columnsNeeded)
        {
            if (column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentException($"Column '{column.Name}' is not in this image-folder data view.", nameof(columnsNeeded));
            active[column.Index] = true;
        }
        int[]? order = null;
        if (rand != null)
        {
            order = Enumerable.Range(0, _images.Count).ToArray();
            rand.Shuffle(order);
        }
        return new Cursor(this, active, order);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    sealed class Cursor : DataViewRowCursor
    {
        readonly ImageFolderDataView _view;
        readonly bool[] _active;
        readonly int[]? _order;
        long _position = -1;

        public Cursor(ImageFolderDataView view, bool[] active, int[]? order)
        {
            _view = view;
            _active = active;
            _order = order;
        }

        public override DataViewSchema Schema => _view.Schema;
        public override long Position => _position;
        public override long Batch => 0;

        DecodedImage Current
        {
            get
            {
                if (_position < 0 || _position >= _view._images.Count)
                    throw new InvalidOperationException("The cursor is not on a row: call MoveNext first (and only while it returns true).");
                return _view._images[_order?[_position] ?? (int)_position];
            }
        }

        public override bool MoveNext()
        {
            if (_position >= _view._images.Count) return false;
            _position++;
            return _position < _view._images.Count;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => column.Index < _active.Length && _active[column.Index];

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)(_order?[_position] ?? _position), 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was made.");
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = Current.ClassName.AsMemory()),
                1 => (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> v) => v = Current.Path.AsMemory()),
                _ => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                {
                    var editor = VBufferEditor.Create(ref v, _view._size);
                    Current.WriteFeatures(editor.Values, _view._channels);
                    v = editor.Commit();
                }),
            };
            return getter as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' has type {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }
    }
}
